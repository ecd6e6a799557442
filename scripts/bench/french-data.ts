/**
 * The French reference data the generator draws from: names, places, professions (TRE_G15) with
 * their weight among the professionals a DMP holder authorises, specialties (TRE_R38), vaccines and
 * allergies. Weights are rough orders of magnitude, enough for a realistic mix.
 */

export const FAMILY_NAMES = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent',
  'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard',
  'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Faure', 'André', 'Mercier',
  'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin',
  'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Masson', 'Marchand', 'Duval',
  'Denis', 'Dumont', 'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun', 'Blanchard', 'Giraud',
  'Joly', 'Rivière', 'Lucas', 'Brunet', 'Gaillard', 'Barbier', 'Arnaud', 'Martinez', 'Gérard', 'Roche',
  'Renard', 'Schmitt', 'Roy', 'Leroux', 'Colin', 'Vidal', 'Caron', 'Picard', 'Roger', 'Fabre',
  'Aubert', 'Lemoine', 'Renaud', 'Dumas', 'Lacroix', 'Olivier', 'Philippe', 'Bourgeois', 'Pierre', 'Benoît',
  'Rey', 'Leclerc', 'Payet', 'Rolland', 'Guillaume', 'Lecomte', 'Lopez', 'Dupuy', 'Hubert', 'Berger',
  'Carpentier', 'Moulin', 'Deschamps', 'Huet', 'Vasseur', 'Boucher', 'Fleury', 'Royer', 'Klein', 'Jacquet',
  'Le Gall', 'Le Goff', 'Da Silva', 'Hoarau', 'Grondin', 'Nguyen', 'Haddad', 'Benali', 'Mendy', 'Ménard',
] as const;

export const MALE_NAMES = [
  'Jean', 'Pierre', 'Michel', 'André', 'Philippe', 'Alain', 'Jacques', 'Bernard', 'Daniel', 'Patrick',
  'Nicolas', 'Christophe', 'Stéphane', 'Sébastien', 'Julien', 'Thomas', 'Antoine', 'Maxime', 'Alexandre', 'Kévin',
  'Lucas', 'Hugo', 'Louis', 'Gabriel', 'Arthur', 'Léo', 'Raphaël', 'Jules', 'Adam', 'Mohamed',
  'François', 'Éric', 'Frédéric', 'Laurent', 'Olivier', 'Mathis', 'Noé', 'Théo', 'Yanis', 'Gaël',
] as const;

export const FEMALE_NAMES = [
  'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Françoise', 'Monique', 'Christine', 'Valérie', 'Sandrine',
  'Stéphanie', 'Céline', 'Julie', 'Aurélie', 'Émilie', 'Camille', 'Manon', 'Léa', 'Chloé', 'Emma',
  'Jade', 'Louise', 'Alice', 'Lina', 'Rose', 'Anna', 'Inès', 'Léna', 'Zoé', 'Hélène',
  'Élodie', 'Amandine', 'Mélanie', 'Laure', 'Sophie', 'Agnès', 'Jeanne', 'Margaux', 'Clémence', 'Yasmine',
] as const;

export interface Place {
  /** Two characters of the NIR: `75`, `2A` (Corsica), `97` (overseas), `99` (born abroad). */
  nirDepartment: string;
  city: string;
  postalCode: string;
  weight: number;
}

export const PLACES: readonly Place[] = [
  { nirDepartment: '75', city: 'Paris', postalCode: '75014', weight: 30 },
  { nirDepartment: '13', city: 'Marseille', postalCode: '13005', weight: 14 },
  { nirDepartment: '69', city: 'Lyon', postalCode: '69003', weight: 13 },
  { nirDepartment: '59', city: 'Lille', postalCode: '59000', weight: 14 },
  { nirDepartment: '31', city: 'Toulouse', postalCode: '31000', weight: 9 },
  { nirDepartment: '33', city: 'Bordeaux', postalCode: '33000', weight: 9 },
  { nirDepartment: '06', city: 'Nice', postalCode: '06000', weight: 7 },
  { nirDepartment: '44', city: 'Nantes', postalCode: '44000', weight: 8 },
  { nirDepartment: '67', city: 'Strasbourg', postalCode: '67000', weight: 7 },
  { nirDepartment: '34', city: 'Montpellier', postalCode: '34000', weight: 7 },
  { nirDepartment: '35', city: 'Rennes', postalCode: '35000', weight: 6 },
  { nirDepartment: '76', city: 'Rouen', postalCode: '76000', weight: 7 },
  { nirDepartment: '38', city: 'Grenoble', postalCode: '38000', weight: 7 },
  { nirDepartment: '21', city: 'Dijon', postalCode: '21000', weight: 3 },
  { nirDepartment: '29', city: 'Brest', postalCode: '29200', weight: 5 },
  { nirDepartment: '63', city: 'Clermont-Ferrand', postalCode: '63000', weight: 4 },
  { nirDepartment: '87', city: 'Limoges', postalCode: '87000', weight: 2 },
  { nirDepartment: '57', city: 'Metz', postalCode: '57000', weight: 5 },
  { nirDepartment: '80', city: 'Amiens', postalCode: '80000', weight: 3 },
  { nirDepartment: '45', city: 'Orléans', postalCode: '45000', weight: 4 },
  { nirDepartment: '2A', city: 'Ajaccio', postalCode: '20000', weight: 1 },
  { nirDepartment: '2B', city: 'Bastia', postalCode: '20200', weight: 1 },
  { nirDepartment: '97', city: 'Saint-Denis', postalCode: '97400', weight: 4 },
  { nirDepartment: '99', city: 'Paris', postalCode: '75018', weight: 6 },
];

export const STREETS = [
  'rue de la République', 'avenue Jean Jaurès', 'rue Victor Hugo', 'boulevard Pasteur', 'rue des Écoles',
  'place de la Mairie', 'rue du Général de Gaulle', 'avenue de la Gare', 'rue Nationale', 'chemin des Vignes',
] as const;

export const TRE_G15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
export const TRE_R38 = 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale';

export interface ProfessionInfo {
  code: string;
  display: string;
  /** Share of the professionals pool. */
  weight: number;
}

/** Every profession of TRE_G15 that DMP-RULES section 11 lists. */
export const PROFESSIONS: readonly ProfessionInfo[] = [
  { code: '10', display: 'Médecin', weight: 34 },
  { code: '21', display: 'Pharmacien', weight: 9 },
  { code: '26', display: 'Audioprothésiste', weight: 1 },
  { code: '28', display: 'Opticien-Lunetier', weight: 1 },
  { code: '40', display: 'Chirurgien-Dentiste', weight: 6 },
  { code: '50', display: 'Sage-Femme', weight: 3 },
  { code: '60', display: 'Infirmier', weight: 22 },
  { code: '69', display: 'Infirmier psychiatrique', weight: 1 },
  { code: '70', display: 'Masseur-Kinésithérapeute', weight: 9 },
  { code: '80', display: 'Pédicure-Podologue', weight: 2 },
  { code: '86', display: 'Technicien de laboratoire', weight: 1 },
  { code: '91', display: 'Orthophoniste', weight: 2 },
  { code: '92', display: 'Orthoptiste', weight: 1 },
  { code: '93', display: 'Psychologue', weight: 3 },
  { code: '94', display: 'Ergothérapeute', weight: 1 },
  { code: '95', display: 'Diététicien', weight: 1 },
  { code: '96', display: 'Psychomotricien', weight: 1 },
  { code: '98', display: 'Manipulateur ERM', weight: 1 },
];

/** Physicians' specialties: general practice dominates; `SM25` (occupational) never gets access (R1.3). */
export const PHYSICIAN_SPECIALTIES: ReadonlyArray<readonly [string, number]> = [
  ['SM54', 30], ['SM26', 8], ['SM53', 4], ['SM42', 2], ['SM40', 5], ['SM44', 6], ['SM59', 5], ['SM25', 2],
];
export const GENERAL_PRACTICE = ['SM54', 'SM26', 'SM53'];
export const PHARMACIST_SPECIALTIES: ReadonlyArray<readonly [string, number]> = [['SM21', 3], ['SM23', 1]];

export interface VaccineInfo {
  atc: string;
  display: string;
  /** Ages (years) at which it is typically given. */
  ages: number[];
}

export const ATC = 'http://www.whocc.no/atc';
export const VACCINES: readonly VaccineInfo[] = [
  { atc: 'J07CA09', display: 'Diphtérie, tétanos, coqueluche, poliomyélite, Hib, hépatite B (hexavalent)', ages: [0, 0, 1] },
  { atc: 'J07BD52', display: 'Rougeole, oreillons, rubéole', ages: [1, 1] },
  { atc: 'J07AL02', display: 'Pneumocoque conjugué', ages: [0, 0, 1] },
  { atc: 'J07AH08', display: 'Méningocoque ACWY', ages: [1, 13] },
  { atc: 'J07BM03', display: 'Papillomavirus humain', ages: [11, 12] },
  { atc: 'J07CA02', display: 'Diphtérie, tétanos, coqueluche, poliomyélite (rappel)', ages: [6, 11, 25, 45, 65] },
  { atc: 'J07BB02', display: 'Grippe saisonnière', ages: [65, 66, 67, 68, 69, 70, 71, 72] },
  { atc: 'J07BX03', display: 'COVID-19', ages: [30, 50, 70] },
];

export const SNOMED = 'http://snomed.info/sct';
export interface AllergyInfo {
  code: string;
  display: string;
  category: 'medication' | 'food' | 'environment';
  weight: number;
}
export const ALLERGIES: readonly AllergyInfo[] = [
  { code: '91936005', display: 'Allergie à la pénicilline', category: 'medication', weight: 10 },
  { code: '294505008', display: "Allergie à l'amoxicilline", category: 'medication', weight: 5 },
  { code: '293586001', display: "Allergie à l'aspirine", category: 'medication', weight: 3 },
  { code: '91935009', display: "Allergie à l'arachide", category: 'food', weight: 4 },
  { code: '300913006', display: 'Allergie aux crustacés', category: 'food', weight: 3 },
  { code: '418689008', display: 'Allergie aux pollens de graminées', category: 'environment', weight: 8 },
  { code: '232350006', display: 'Allergie aux acariens', category: 'environment', weight: 6 },
  { code: '300916003', display: 'Allergie au latex', category: 'environment', weight: 2 },
];

export const HOSPITAL_NAMES = [
  'Centre hospitalier', 'CHU', 'Clinique Saint-Joseph', 'Hôpital privé', 'Clinique du Parc', 'Centre de santé',
  'Groupe hospitalier', 'Clinique Pasteur', 'Hôpital local', 'Centre de radiologie', 'Laboratoire de biologie médicale',
] as const;
