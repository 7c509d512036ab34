/**
 * Word pools for synthetic users: names from many cultures (Latin script with
 * and without diacritics), departments, titles, and offices whose country is
 * written sometimes as a name and sometimes as an ISO code, as real tenants do.
 */

export const GIVEN_NAMES = [
  'Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Grace', 'Hannah', 'Ian', 'Julia', 'Kevin', 'Laura', 'Mateo',
  'Nina', 'Oliver', 'Paula', 'Quentin', 'Rosa', 'Samuel', 'Tara', 'Umar', 'Vera', 'William', 'Ximena', 'Yusuf',
  'Zara', 'Amélie', 'Björn', 'Chloé', 'Désirée', 'Émile', 'François', 'Günter', 'Håkon', 'Inés', 'Jörg', 'Kübra',
  'Lúcia', 'Míša', 'Noémie', 'Özlem', 'Pål', 'René', 'Søren', 'Tomás', 'Ursula', 'Václav', 'Wojciech', 'Agnieszka',
  'Priya', 'Rahul', 'Mei', 'Hiroshi', 'Kwame', 'Aisha', 'Chinedu', 'Siobhán', 'Eoin', 'Niamh', 'Lars', 'Ingrid',
  'Matteo', 'Giulia', 'Lucas', 'Sofía', 'Camille', 'Thabo', 'Leilani', 'Nikolai', 'Olga', 'Fatima', 'Omar',
] as const;

export const SURNAMES = [
  'Müller', 'Schmidt', 'García', 'Martínez', 'Rossi', 'Dubois', 'Novák', 'Kowalski', 'Nowak', 'Johansson',
  'Nielsen', 'Jensen', 'Andersson', 'Hansen', 'Virtanen', 'Kovač', 'Horváth', 'Popescu', 'Papadakis', 'Yılmaz',
  'Öztürk', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson',
  'Thomas', 'Moore', 'Martin', 'Lee', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Patel', 'Sharma', 'Singh',
  'Nguyen', 'Tran', 'Kim', 'Park', 'Chen', 'Wang', 'Tanaka', 'Suzuki', 'Okafor', 'Mensah', 'Abebe', 'Haddad',
  'Fernández', 'López', 'Gonçalves', 'Silva', 'Ferreira', 'Bergström', 'Lindqvist', 'Åberg', 'Ødegaard',
  'Fitzgerald', 'MacDonald', 'van der Berg', 'de la Cruz', 'Le Blanc', 'Schäfer', 'Weiß', 'Groß',
] as const;

/** Pairs that recur on purpose, so name collisions happen at a realistic rate. */
export const COMMON_NAMES: readonly (readonly [string, string])[] = [
  ['John', 'Smith'],
  ['Maria', 'García'],
  ['Michael', 'Müller'],
  ['Wei', 'Zhang'],
  ['Anna', 'Nowak'],
];

export const DEPARTMENTS = [
  'Finance', 'Human Resources', 'Sales', 'Marketing', 'Engineering', 'Research & Development', 'Legal', 'IT',
  'Customer Success', 'Operations', 'Procurement', 'Facilities',
] as const;

export const TITLES = [
  'Analyst', 'Senior Analyst', 'Specialist', 'Coordinator', 'Engineer', 'Senior Engineer', 'Consultant',
  'Account Executive', 'Assistant', 'Team Lead', 'Administrator', 'Associate', 'Technician', 'Designer',
] as const;

export interface Office {
  officeLocation: string;
  streetAddress: string;
  city: string;
  state: string | null;
  postalCode: string;
  /** As the tenant holds it: a name or an ISO code. */
  country: string;
  usageLocation: string;
  phonePrefix: string;
}

export const OFFICES: readonly Office[] = [
  { officeLocation: 'Seattle HQ', streetAddress: '1 Example Way', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'United States', usageLocation: 'US', phonePrefix: '+1 206 555 01' },
  { officeLocation: 'NYC 5th Ave', streetAddress: '500 Fifth Avenue, Floor 12', city: 'New York', state: 'NY', postalCode: '10110', country: 'US', usageLocation: 'US', phonePrefix: '+1 212 555 01' },
  { officeLocation: 'München', streetAddress: 'Musterstraße 12', city: 'München', state: 'Bayern', postalCode: '80331', country: 'Germany', usageLocation: 'DE', phonePrefix: '+49 89 555 0' },
  { officeLocation: 'Berlin', streetAddress: 'Friedrichstraße 101', city: 'Berlin', state: null, postalCode: '10117', country: 'DE', usageLocation: 'DE', phonePrefix: '+49 30 555 0' },
  { officeLocation: 'Oslo', streetAddress: 'Karl Johans gate 7', city: 'Oslo', state: null, postalCode: '0154', country: 'Norway', usageLocation: 'NO', phonePrefix: '+47 22 55 50' },
  { officeLocation: 'İstanbul', streetAddress: 'Büyükdere Caddesi No: 185', city: 'İstanbul', state: null, postalCode: '34394', country: 'Türkiye', usageLocation: 'TR', phonePrefix: '+90 212 555 0' },
  { officeLocation: 'Kraków', streetAddress: 'ul. Floriańska 3', city: 'Kraków', state: 'Małopolskie', postalCode: '31-019', country: 'PL', usageLocation: 'PL', phonePrefix: '+48 12 555 0' },
  { officeLocation: 'Madrid', streetAddress: 'Calle de Alcalá 45', city: 'Madrid', state: null, postalCode: '28014', country: 'Spain', usageLocation: 'ES', phonePrefix: '+34 91 555 0' },
  { officeLocation: 'Tokyo', streetAddress: '1-1 Marunouchi, Chiyoda-ku', city: 'Tokyo', state: null, postalCode: '100-0005', country: 'Japan', usageLocation: 'JP', phonePrefix: '+81 3 5550 0' },
  { officeLocation: 'London', streetAddress: '10 Example Street', city: 'London', state: null, postalCode: 'EC1A 1BB', country: 'United Kingdom', usageLocation: 'GB', phonePrefix: '+44 20 7946 0' },
  { officeLocation: 'Remote', streetAddress: '', city: 'Dublin', state: null, postalCode: 'D02 X285', country: 'IE', usageLocation: 'IE', phonePrefix: '+353 1 555 0' },
];

export const EMPLOYEE_TYPES = ['Employee', 'Contractor', 'Intern', 'Vendor'] as const;
