/**
 * Builds the @azure/identity credential for a resolved sign-in method.
 *
 * Every credential gets the same `authorityHost`; when it is not a Microsoft
 * sign-in host (the simulator) `disableInstanceDiscovery` is set, because MSAL
 * would otherwise ask login.microsoftonline.com whether the authority is valid.
 * (learn.microsoft.com/javascript/api/@azure/identity/authorityvalidationoptions)
 */
import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { say } from '../output.js';
import { readCertificateFile } from './certificate-file.js';
import type { ResolvedCloudOptions } from './cloud-options.js';

export function createCredential(options: ResolvedCloudOptions): TokenCredential {
  const common = {
    authorityHost: options.authorityHost,
    disableInstanceDiscovery: options.disableInstanceDiscovery,
  };
  const tenantId = options.tenantId;
  const clientId = options.clientId;
  switch (options.credentialKind) {
    case 'secret':
      return new ClientSecretCredential(required(tenantId), required(clientId), required(options.clientSecret).reveal(), common);
    case 'certificate': {
      // Checked first (certificate-file.ts): a bad file gets a named error, and the credential gets exactly what was checked.
      const { pem } = readCertificateFile(required(options.certificatePath), options.certificatePassword);
      const configuration = options.certificatePassword ? { certificate: pem, certificatePassword: options.certificatePassword.reveal() } : { certificate: pem };
      return new ClientCertificateCredential(required(tenantId), required(clientId), configuration, common);
    }
    case 'device-code':
      return new DeviceCodeCredential({
        ...common,
        ...(tenantId ? { tenantId } : {}),
        ...(clientId ? { clientId } : {}),
        // The library's own default is console.log: stdout, which carries data.
        userPromptCallback: options.onDeviceCode ?? ((info) => say(info.message)),
      });
    case 'managed-identity':
      return clientId ? new ManagedIdentityCredential({ clientId, authorityHost: options.authorityHost }) : new ManagedIdentityCredential({ authorityHost: options.authorityHost });
    case 'azure-cli':
      return new AzureCliCredential(tenantId ? { tenantId } : {});
  }
}

function required<T>(value: T | undefined): T {
  // resolveCloudOptions guarantees these; reaching here is a bug, not bad input.
  if (value === undefined) throw new Error('credential option missing after resolution');
  return value;
}
