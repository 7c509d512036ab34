/**
 * The device authorization grant (RFC 8628) as the identity platform serves it
 * (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code):
 * - POST /{tenant}/oauth2/v2.0/devicecode -> device_code, user_code,
 *   verification_uri, expires_in (Entra: 900), interval (Entra: 5), message;
 * - POST /{tenant}/oauth2/v2.0/token, grant_type=urn:ietf:params:oauth:grant-type:device_code:
 *   `authorization_pending` until the user signs in, `authorization_declined`,
 *   `bad_verification_code`, `expired_token` (AADSTS70019, "code expired");
 *   `slow_down` when polled faster than `interval` (RFC 8628 section 3.5: the
 *   client must then add 5 seconds to its interval). Entra's page does not list
 *   slow_down; the simulator sends it as the RFC says (an assumption).
 * The user's side (the browser at verification_uri) is `POST /_sim/devicelogin`
 * with `{ "user_code": "...", "user"?: upn, "decline"?: true }`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AadRefusal } from './aad-error.js';

/**
 * The grant type of the polling request: RFC 8628 section 3.4 and Entra's page name
 * the URN; MSAL sends the short `device_code` (msal-common Constants.GrantType.DEVICE_CODE_GRANT)
 * and Entra takes it, so both are accepted.
 */
export const DEVICE_CODE_GRANTS = ['urn:ietf:params:oauth:grant-type:device_code', 'device_code'];

export interface SignedInUser {
  id: string;
  userPrincipalName: string;
}

interface PendingCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAtMs: number;
  intervalMs: number;
  lastPollMs: number;
  state: 'pending' | 'approved' | 'declined' | 'redeemed';
  user?: SignedInUser;
}

export interface DeviceCodeOptions {
  lifetimeSeconds: number;
  intervalSeconds: number;
  verificationUri: string;
}

export type PollResult = { ok: true; clientId: string; scopes: string[]; user: SignedInUser } | AadRefusal;

const pending = (code: number, error: string, message: string): AadRefusal => ({ status: 400, error, code, message });

/** User codes as Entra prints them: 9 upper-case letters and digits, no look-alikes. */
function userCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(9)].map((b) => alphabet[b % alphabet.length]).join('');
}

export class DeviceCodes {
  readonly #byDevice = new Map<string, PendingCode>();
  readonly #byUser = new Map<string, PendingCode>();

  constructor(private readonly options: DeviceCodeOptions) {}

  issue(clientId: string, scopes: string[], nowMs: number): Record<string, unknown> {
    const code: PendingCode = {
      deviceCode: `${randomUUID()}.${randomBytes(24).toString('base64url')}`,
      userCode: userCode(),
      clientId,
      scopes,
      expiresAtMs: nowMs + this.options.lifetimeSeconds * 1000,
      intervalMs: this.options.intervalSeconds * 1000,
      lastPollMs: 0,
      state: 'pending',
    };
    this.#byDevice.set(code.deviceCode, code);
    this.#byUser.set(code.userCode, code);
    return {
      user_code: code.userCode,
      device_code: code.deviceCode,
      verification_uri: this.options.verificationUri,
      expires_in: this.options.lifetimeSeconds,
      interval: this.options.intervalSeconds,
      message: `To sign in, use a web browser to open the page ${this.options.verificationUri} and enter the code ${code.userCode} to authenticate.`,
    };
  }

  /** The user's browser: approve (or decline) a code. False when the code is unknown or expired. */
  complete(userCodeValue: string, user: SignedInUser, decline: boolean, nowMs: number): boolean {
    const code = this.#byUser.get(userCodeValue.trim().toUpperCase());
    if (!code || code.state !== 'pending' || nowMs >= code.expiresAtMs) return false;
    code.state = decline ? 'declined' : 'approved';
    code.user = user;
    return true;
  }

  poll(deviceCode: string, clientId: string, nowMs: number): PollResult {
    const code = this.#byDevice.get(deviceCode);
    if (!code || code.clientId.toLowerCase() !== clientId.toLowerCase()) {
      return pending(70000, 'invalid_grant', 'Provided grant is invalid or malformed.');
    }
    if (nowMs >= code.expiresAtMs) return pending(70019, 'expired_token', 'Verification code expired.');
    if (code.state === 'declined') return pending(70000, 'authorization_declined', 'The end user denied the authorization request.');
    if (code.state === 'redeemed') return pending(70000, 'invalid_grant', 'The provided device code has already been redeemed.');
    const tooSoon = code.lastPollMs > 0 && nowMs - code.lastPollMs < code.intervalMs;
    code.lastPollMs = nowMs;
    if (tooSoon) {
      code.intervalMs += 5000; // RFC 8628 3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests"
      return pending(70016, 'slow_down', 'OAuth 2.0 device flow error. The client is polling too quickly; slow down.');
    }
    if (code.state === 'pending') return pending(70016, 'authorization_pending', 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
    code.state = 'redeemed';
    return { ok: true, clientId: code.clientId, scopes: code.scopes, user: code.user as SignedInUser };
  }

  /** Pending codes, for tests that complete a sign-in without reading the prompt. */
  pendingUserCodes(nowMs: number): string[] {
    return [...this.#byUser.values()].filter((c) => c.state === 'pending' && nowMs < c.expiresAtMs).map((c) => c.userCode);
  }
}
