/**
 * Where initial passwords come from, per the plan settings: a new random one per
 * user, one fixed password (from ENTRA2AD_INITIAL_PASSWORD or a file, never a
 * flag or the config), or none (the account stays disabled).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { checkPasswordComplexity, generatePassword } from '../plan/passwords.js';
import type { PlanSettings } from '../plan/settings.js';
import { RunError } from '../journal/errors.js';
import type { PasswordSource } from './ports.js';

export const INITIAL_PASSWORD_ENV = 'ENTRA2AD_INITIAL_PASSWORD';

export function passwordSource(settings: PlanSettings['password'], fixedPasswordFile?: string): PasswordSource {
  switch (settings.mode) {
    case 'none':
      return () => undefined;
    case 'random':
      return (user) =>
        generatePassword(settings.length, undefined, {
          avoidAmbiguous: settings.avoidAmbiguous,
          samAccountName: user.sAMAccountName,
          displayName: user.displayName,
        });
    case 'fixed': {
      const fixed = readFixedPassword(fixedPasswordFile);
      return (user) => {
        // AD refuses a password that contains the account name or a 3+ character part of the display name.
        const check = checkPasswordComplexity(fixed, user.sAMAccountName, user.displayName);
        if (!check.ok) throw new RunError('PASSWORD_COMPLEXITY', `the fixed initial password breaks a rule for this user: ${check.message}`, { user: user.userPrincipalName });
        return fixed;
      };
    }
  }
}

function readFixedPassword(file: string | undefined): string {
  let value: string | undefined;
  if (file) {
    try {
      value = readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch (error) {
      throw new UsageError('SECRET_UNREADABLE', `cannot read the initial password from ${file}: ${(error as NodeJS.ErrnoException).code}`, [], { field: '--initial-password-file' });
    }
  } else {
    value = process.env[INITIAL_PASSWORD_ENV];
  }
  if (!value) {
    throw new UsageError('PASSWORD_MISSING', `password mode "fixed" needs ${INITIAL_PASSWORD_ENV} or --initial-password-file`, [], { field: 'plan.password.mode' });
  }
  // A NUL or another control character would not survive credentials.csv or a spreadsheet; AD would take it.
  if (/[\u0000-\u001F\u007F]/.test(value)) {
    throw new UsageError('PASSWORD_INVALID', 'the fixed initial password contains a control character (NUL, TAB...): choose one without', [], { field: 'plan.password.mode' });
  }
  return value;
}
