/**
 * Hand-written users that each exercise something a migration gets wrong:
 * scripts and diacritics, apostrophes, commas, very long names, name collisions,
 * missing names, guests, disabled and shared-mailbox accounts, synced and
 * previously synced users, odd immutableIds, role holders, federated UPNs,
 * proxyAddresses with aliases and X500, extension attributes.
 */
import { OFFICES, type Office } from './pools.js';
import type { RoleKey } from './tenant-generator.js';

export interface EdgeCaseUser {
  /** Referenced by `manager`. */
  key: string;
  /** What it covers (documentation only). */
  why: string;
  /** UPN local part; for guests, the local part of the external address. */
  local: string;
  domain?: 'managed' | 'federated' | 'initial';
  /** External domain: makes the user an invited guest (#EXT# UPN, userType Guest). */
  guestOf?: string;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  /** Default: the UPN (members) or the external address (guests). */
  mail?: string | null;
  accountEnabled?: boolean;
  jobTitle?: string;
  department?: string;
  companyName?: string | null;
  employeeId?: string;
  employeeType?: string;
  office?: Office;
  /** Overrides the office's country (name vs ISO code). */
  country?: string;
  /** `{upn}` and `{initial}` are replaced. */
  proxyAddresses?: string[];
  extensionAttributes?: Record<string, string>;
  sync?: 'cloud' | 'synced' | 'previously-synced';
  /** `guid`: base64 of a random GUID; a string: used as is (`{upn}` = base64 of the UPN). */
  immutableId?: 'guid' | string;
  onPremisesObjectIdentifier?: boolean;
  roles?: RoleKey[];
  eligibleRoles?: RoleKey[];
  manager?: string;
}

const [seattle, nyc, munich, berlin, oslo, istanbul, krakow, madrid, tokyo, london, remote] = OFFICES as [
  Office, Office, Office, Office, Office, Office, Office, Office, Office, Office, Office,
];

export const EDGE_CASE_USERS: readonly EdgeCaseUser[] = [
  // --- leadership (manager hierarchy roots)
  { key: 'ceo', why: 'top of the manager hierarchy', local: 'ava.thompson', displayName: 'Ava Thompson', givenName: 'Ava', surname: 'Thompson', jobTitle: 'Chief Executive Officer', department: 'Executive', office: seattle, employeeId: '000001', employeeType: 'Employee', proxyAddresses: ['SMTP:{upn}', 'smtp:ceo@contoso.example', 'smtp:ava.thompson@{initial}'] },
  { key: 'cfo', why: 'manager synced from AD (cloud-only reports keep a synced manager)', local: 'marcus.lindqvist', displayName: 'Marcus Lindqvist', givenName: 'Marcus', surname: 'Lindqvist', jobTitle: 'Chief Financial Officer', department: 'Finance', office: london, sync: 'synced', manager: 'ceo' },
  { key: 'cto', why: 'manager of engineering; X500 proxy from an Exchange migration', local: 'ingrid.bergstrom', displayName: 'Ingrid Bergström', givenName: 'Ingrid', surname: 'Bergström', jobTitle: 'Chief Technology Officer', department: 'Engineering', office: oslo, manager: 'ceo', proxyAddresses: ['SMTP:{upn}', 'smtp:ingrid.b@contoso.example', 'X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=5f3c1e0b9a4d4c7e8b2a6d1f0e9c8b7a-Ingrid Berg'] },

  // --- scripts and diacritics
  { key: 'zoe', why: 'diaeresis', local: 'zoe.martin', displayName: 'Zoë Martin', givenName: 'Zoë', surname: 'Martin', jobTitle: 'Designer', department: 'Marketing', office: london, manager: 'cto' },
  { key: 'lukasz', why: 'Polish letters in both names', local: 'lukasz.zolc', displayName: 'Łukasz Żółć', givenName: 'Łukasz', surname: 'Żółć', jobTitle: 'Senior Engineer', department: 'Engineering', office: krakow, manager: 'cto', employeeId: '004211' },
  { key: 'orjan', why: 'Ø, æ', local: 'orjan.saether', displayName: 'Ørjan Sæther', givenName: 'Ørjan', surname: 'Sæther', jobTitle: 'Engineer', department: 'Engineering', office: oslo, country: 'NO', manager: 'cto' },
  { key: 'nunez', why: 'ñ and accents', local: 'jose.nunez', displayName: 'José Ñúñez', givenName: 'José', surname: 'Ñúñez', jobTitle: 'Account Executive', department: 'Sales', office: madrid, manager: 'ceo' },
  { key: 'strasse', why: 'ß', local: 'jurgen.strasse', displayName: 'Jürgen Straße', givenName: 'Jürgen', surname: 'Straße', jobTitle: 'Controller', department: 'Finance', office: munich, manager: 'cfo', extensionAttributes: { extensionAttribute1: 'CC-4711', extensionAttribute15: 'Kostenstelle München' } },
  { key: 'gulsen', why: 'Turkish ğ ş ı and dotted İ in the city', local: 'gulsen.yildiz', displayName: 'Ğülşen Yıldız', givenName: 'Ğülşen', surname: 'Yıldız', jobTitle: 'Specialist', department: 'Operations', office: istanbul, manager: 'cfo' },
  { key: 'greek', why: 'Greek script', local: 'alexandros.papadopoulos', displayName: 'Αλέξανδρος Παπαδόπουλος', givenName: 'Αλέξανδρος', surname: 'Παπαδόπουλος', jobTitle: 'Analyst', department: 'Research & Development', office: london, country: 'United Kingdom', manager: 'cto' },
  { key: 'cyrillic', why: 'Cyrillic script', local: 'dmitry.ivanov', displayName: 'Дмитрий Иванов', givenName: 'Дмитрий', surname: 'Иванов', jobTitle: 'Engineer', department: 'Engineering', office: berlin, manager: 'cto' },
  { key: 'cjk-zh', why: 'Chinese name, family name first, no space', local: 'xiaoming.wang', displayName: '王小明', givenName: '小明', surname: '王', jobTitle: 'Analyst', department: 'Finance', office: tokyo, country: 'JP', manager: 'cfo' },
  { key: 'cjk-ja', why: 'Japanese name with a space', local: 'taro.yamada', displayName: '山田 太郎', givenName: '太郎', surname: '山田', jobTitle: 'Technician', department: 'IT', office: tokyo, manager: 'cto' },
  { key: 'arabic', why: 'Arabic script (right to left)', local: 'mohammed.alali', displayName: 'محمد العلي', givenName: 'محمد', surname: 'العلي', jobTitle: 'Consultant', department: 'Sales', office: london, manager: 'ceo' },

  // --- punctuation
  { key: 'obrien', why: 'apostrophe in the surname', local: 'conor.obrien', displayName: "Conor O'Brien", givenName: 'Conor', surname: "O'Brien", jobTitle: 'Coordinator', department: 'Customer Success', office: remote, manager: 'ceo' },
  { key: 'dangelo', why: 'apostrophe in the surname AND in the UPN', local: "gianluca.d'angelo", displayName: "Gianluca D'Angelo", givenName: 'Gianluca', surname: "D'Angelo", jobTitle: 'Engineer', department: 'Engineering', office: madrid, country: 'ES', manager: 'cto' },
  { key: 'comma', why: 'comma in the display name (DN escaping)', local: 'john.smith.finance', displayName: 'Smith, John', givenName: 'John', surname: 'Smith', jobTitle: 'Accountant', department: 'Finance', office: nyc, manager: 'cfo' },
  { key: 'long', why: '70+ character display name, 30+ character surname', local: 'hubert.wolfeschlegel', displayName: 'Hubert Blaine Wolfeschlegelsteinhausenbergerdorff, Senior Principal Research Engineer', givenName: 'Hubert Blaine', surname: 'Wolfeschlegelsteinhausenbergerdorff', jobTitle: 'Senior Principal Research Engineer, Advanced Materials and Surface Chemistry Group', department: 'Research & Development', office: munich, manager: 'cto' },
  { key: 'hyphen', why: 'hyphenated double surname and particles', local: 'maria.de-la-cruz-fernandez', displayName: 'María de la Cruz-Fernández', givenName: 'María', surname: 'de la Cruz-Fernández', jobTitle: 'Analyst', department: 'Legal', office: madrid, manager: 'cfo' },

  // --- five+ John Smiths (names, sAMAccountName and CN collide)
  { key: 'js1', why: 'John Smith #1', local: 'john.smith', displayName: 'John Smith', givenName: 'John', surname: 'Smith', jobTitle: 'Sales Manager', department: 'Sales', office: nyc, manager: 'ceo' },
  { key: 'js2', why: 'John Smith #2', local: 'john.smith', displayName: 'John Smith', givenName: 'John', surname: 'Smith', jobTitle: 'Engineer', department: 'Engineering', office: seattle, manager: 'cto' },
  { key: 'js3', why: 'John Smith #3', local: 'john.smith', displayName: 'John Smith', givenName: 'John', surname: 'Smith', jobTitle: 'Technician', department: 'IT', office: london, country: 'GB', manager: 'cto' },
  { key: 'js4', why: 'John Smith #4, different UPN style', local: 'jsmith', displayName: 'John Smith', givenName: 'John', surname: 'Smith', jobTitle: 'Intern', department: 'Marketing', office: seattle, employeeType: 'Intern', manager: 'js1' },
  { key: 'js5', why: 'John Smith #5, middle initial only in the display name', local: 'john.a.smith', displayName: 'John A. Smith', givenName: 'John', surname: 'Smith', jobTitle: 'Analyst', department: 'Finance', office: nyc, manager: 'cfo' },
  { key: 'js6', why: 'John Smith #6, federated domain', local: 'john.smith', domain: 'federated', displayName: 'John Smith', givenName: 'John', surname: 'Smith', jobTitle: 'Consultant', department: 'Operations', companyName: 'Fabrikam', manager: 'ceo' },

  // --- missing names
  { key: 'noname', why: 'no givenName, no surname', local: 'reception', displayName: 'Reception Desk Seattle', givenName: null, surname: null, office: seattle, jobTitle: 'Reception' },
  { key: 'mononym', why: 'single name (no surname)', local: 'prince', displayName: 'Prince', givenName: 'Prince', surname: null, jobTitle: 'Artist in Residence', department: 'Marketing', office: remote, manager: 'ceo' },
  { key: 'surnameonly', why: 'surname only', local: 'okafor', displayName: 'Okafor', givenName: null, surname: 'Okafor', jobTitle: 'Driver', department: 'Facilities', office: london, manager: 'cfo' },

  // --- guests
  { key: 'guest1', why: 'invited guest (#EXT#)', local: 'alex.partner', guestOf: 'partner.example', displayName: 'Alex Partner (Partner Example)', givenName: 'Alex', surname: 'Partner', companyName: null },
  { key: 'guest2', why: 'guest with no names and no mail', local: 'ops', guestOf: 'supplier.example', displayName: 'ops@supplier.example', givenName: null, surname: null, mail: null, companyName: null },

  // --- disabled and shared-mailbox style
  { key: 'disabled', why: 'disabled leaver', local: 'leah.former', displayName: 'Leah Former', givenName: 'Leah', surname: 'Former', accountEnabled: false, jobTitle: 'Analyst', department: 'Finance', office: nyc, manager: 'cfo' },
  { key: 'shared', why: 'shared mailbox: disabled, no names, mail-only', local: 'accounts.payable', displayName: 'Shared Mailbox - Accounts Payable', givenName: null, surname: null, accountEnabled: false, companyName: null, proxyAddresses: ['SMTP:{upn}', 'smtp:ap@contoso.example', 'smtp:invoices@contoso.example', 'smtp:accounts.payable@{initial}'] },

  // --- synced and previously synced
  { key: 'synced1', why: 'synced from AD', local: 'sara.ahmed', displayName: 'Sara Ahmed', givenName: 'Sara', surname: 'Ahmed', jobTitle: 'HR Partner', department: 'Human Resources', office: london, sync: 'synced', manager: 'cfo' },
  { key: 'synced2', why: 'synced from AD, disabled', local: 'peter.old', displayName: 'Peter Old', givenName: 'Peter', surname: 'Old', accountEnabled: false, jobTitle: 'Clerk', department: 'Finance', office: nyc, sync: 'synced', manager: 'cfo' },
  { key: 'synced3', why: 'synced, comma in the name', local: 'lee.kim', displayName: 'Lee, Kim', givenName: 'Kim', surname: 'Lee', jobTitle: 'Engineer', department: 'IT', office: seattle, sync: 'synced', manager: 'cto' },
  { key: 'synced4', why: 'synced, diacritics', local: 'francois.lefevre', displayName: 'François Lefèvre', givenName: 'François', surname: 'Lefèvre', jobTitle: 'Architect', department: 'Engineering', office: berlin, sync: 'synced', manager: 'cto' },
  { key: 'prev1', why: 'previously synced (sync off, GUID immutableId kept): recovery needs no cloud write', local: 'helga.jensen', displayName: 'Helga Jensen', givenName: 'Helga', surname: 'Jensen', jobTitle: 'Planner', department: 'Operations', office: oslo, sync: 'previously-synced', onPremisesObjectIdentifier: true, manager: 'cfo' },
  { key: 'prev2', why: 'previously synced, federated domain', local: 'tom.baker', domain: 'federated', displayName: 'Tom Baker', givenName: 'Tom', surname: 'Baker', jobTitle: 'Consultant', department: 'Sales', companyName: 'Fabrikam', sync: 'previously-synced', manager: 'ceo' },
  { key: 'nonguid', why: 'immutableId that is not a GUID (base64 of the UPN, a federation habit)', local: 'mark.jones', displayName: 'Mark Jones', givenName: 'Mark', surname: 'Jones', jobTitle: 'Engineer', department: 'Engineering', office: seattle, immutableId: '{upn}', manager: 'cto' },
  { key: 'cloudwithid', why: 'cloud-only user that already has a GUID immutableId (set by hand earlier)', local: 'nora.quinn', displayName: 'Nora Quinn', givenName: 'Nora', surname: 'Quinn', jobTitle: 'Specialist', department: 'Customer Success', office: remote, immutableId: 'guid', manager: 'ceo' },

  // --- role holders
  { key: 'admin', why: 'Global Administrator (active): hard match blocked', local: 'ada.admin', displayName: 'Ada Admin', givenName: 'Ada', surname: 'Admin', jobTitle: 'IT Administrator', department: 'IT', office: seattle, roles: ['globalAdministrator'], manager: 'cto' },
  { key: 'breakglass', why: 'break-glass account on the initial domain, Global Administrator', local: 'breakglass', domain: 'initial', displayName: 'Break Glass (emergency access)', givenName: null, surname: null, mail: null, companyName: null, roles: ['globalAdministrator'] },
  { key: 'eligible', why: 'PIM-eligible Privileged Role Administrator (not active)', local: 'priya.patel', displayName: 'Priya Patel', givenName: 'Priya', surname: 'Patel', jobTitle: 'Identity Engineer', department: 'IT', office: london, eligibleRoles: ['privilegedRoleAdministrator'], manager: 'cto' },
  { key: 'helpdesk', why: 'active Helpdesk Administrator plus eligible User Administrator', local: 'kwame.mensah', displayName: 'Kwame Mensah', givenName: 'Kwame', surname: 'Mensah', jobTitle: 'Service Desk Lead', department: 'IT', office: london, roles: ['helpdeskAdministrator'], eligibleRoles: ['userAdministrator'], manager: 'cto' },
  { key: 'reader', why: 'non-privileged role (Reports Reader): not a blocker', local: 'olga.petrova', displayName: 'Olga Petrova', givenName: 'Olga', surname: 'Petrova', jobTitle: 'Data Analyst', department: 'Finance', office: berlin, roles: ['reportsReader'], manager: 'cfo' },

  // --- federated domain
  { key: 'fed1', why: 'cloud-only user in a federated domain', local: 'nina.fischer', domain: 'federated', displayName: 'Nina Fischer', givenName: 'Nina', surname: 'Fischer', jobTitle: 'Consultant', department: 'Sales', companyName: 'Fabrikam', office: munich, manager: 'ceo' },
  { key: 'fed2', why: 'federated, apostrophe', local: 'sean.oconnor', domain: 'federated', displayName: "Seán O'Connor", givenName: 'Seán', surname: "O'Connor", jobTitle: 'Engineer', department: 'Engineering', companyName: 'Fabrikam', office: remote, manager: 'cto' },

  // --- attribute fill
  { key: 'full', why: 'every optional attribute filled', local: 'emma.wilson', displayName: 'Emma Wilson', givenName: 'Emma', surname: 'Wilson', jobTitle: 'Program Manager', department: 'Operations', office: nyc, employeeId: '010203', employeeType: 'Employee', manager: 'ceo', proxyAddresses: ['SMTP:{upn}', 'smtp:emma@contoso.example', 'smtp:e.wilson@contoso.example', 'smtp:emma.wilson@{initial}', 'SIP:emma.wilson@contoso.example'], extensionAttributes: { extensionAttribute1: 'CC-1001', extensionAttribute2: 'Building 7', extensionAttribute3: 'Badge 5521', extensionAttribute10: 'VIP' } },
  { key: 'contractor', why: 'contractor with country as ISO code and no office phone', local: 'farid.haddad', displayName: 'Farid Haddad (Contractor)', givenName: 'Farid', surname: 'Haddad', jobTitle: 'Contractor', department: 'IT', companyName: 'Northwind Staffing', employeeType: 'Contractor', office: berlin, country: 'DE', manager: 'cto' },
  { key: 'nomail', why: 'member without mail and without proxyAddresses', local: 'warehouse.kiosk1', displayName: 'Warehouse Kiosk 1', givenName: null, surname: null, mail: null, proxyAddresses: [], companyName: null, office: krakow },
  { key: 'spaces', why: 'leading/trailing-space-prone names (Dutch particle)', local: 'jan.van-der-berg', displayName: 'Jan van der Berg', givenName: 'Jan', surname: 'van der Berg', jobTitle: 'Engineer', department: 'Engineering', office: berlin, manager: 'cto' },
];
