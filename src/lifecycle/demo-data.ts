import type { Reference, Resource } from 'fhir/r4';
import { FINESS_SYSTEM } from '../access/codes.js';
import type { Config } from '../config.js';
import { parisDay } from '../access/calendar.js';
import { DEMO_HOSPITAL, DEMO_RPPS as RPPS, demoHolders } from './demo-identities.js';
import {
  TRE_A05,
  accessChoices,
  allergy,
  archived,
  careStructure,
  content,
  dmpClosure,
  dmpOpening,
  document,
  holderPatient,
  immunization,
  parent,
  practitioner,
  practitionerRole,
  psAuthor,
  withLabels,
} from './demo-resources.js';

/**
 * The demo DMP set (D5), as the story of who writes what, in order. Every write goes through the
 * interactions as the identity named in `by` (seed.ts), so every access rule, validation and
 * trace applies to it exactly as to a request: the seed cannot store what the rules would refuse,
 * nor facts a query could be fooled by.
 *
 * - Claire Moreau (adult): the full DMP. Her DMP GP, authorised nurse, podiatrist, pharmacist and
 *   psychiatrist, her hospital as a care team, one blocked physician; documents of every family,
 *   one masked by her (MASQUE_PS), a lab result not yet released (INVISIBLE_PATIENT), one
 *   archived, one replaced (superseded), a prescription deposited by the GP's delegate, personal
 *   space, advance directives, the insurer's reimbursement history, an allergy and a vaccination.
 * - Lucas Moreau (15), DMP opened with his mother's consent (R2.3): a consultation hidden from his
 *   parents at his request (INVISIBLE_REPRESENTANTS_LEGAUX).
 * - Jean Dupont (adult): opposes emergency access (R3.5).
 * - Marc Leroy: DMP closed at his request (R9.1, R9.2).
 * - Sophie Petit: registered, no DMP (R2.1).
 */

export interface SeedStep {
  /** DEMO_IDENTITIES key of who writes it. */
  by: string;
  /** The rule the write shows. */
  rule: string;
  resource: Resource;
  /** The rest of this resource's story (masking, archiving, closing): written only when `resource` is created. */
  then?: SeedStep[];
}

export interface DemoContext {
  now: Date;
  insurer: Config['insurer'];
  /** `Organization/<id>` of the insurer (D17). */
  insurerOrganization: string;
}

const step = (by: string, rule: string, resource: Resource, then?: SeedStep[]): SeedStep => ({ by, rule, resource, ...(then ? { then } : {}) });

const AUTHORS = {
  gp: psAuthor(RPPS.gp, 'Dr Marie Bernard'),
  nurse: psAuthor(RPPS.nurse, 'Julie Lambert'),
  pharmacist: psAuthor(RPPS.pharmacist, 'Nicolas Fontaine'),
  psychiatrist: psAuthor(RPPS.psychiatrist, 'Dr Hélène Rousseau'),
  emergency: psAuthor(RPPS.emergency, 'Dr Antoine Mercier'),
};

function directory(): SeedStep[] {
  return [
    step('admin', 'R1.4', careStructure(DEMO_HOSPITAL.id, DEMO_HOSPITAL.finess, DEMO_HOSPITAL.name)),
    step('admin', 'R1.4', practitioner(RPPS.gp, { family: 'Bernard', given: 'Marie' }, '10', 'SM54')),
    step('admin', 'R1.4', practitioner(RPPS.nurse, { family: 'Lambert', given: 'Julie' }, '60')),
    step('admin', 'R1.4', practitioner(RPPS.podiatrist, { family: 'Girard', given: 'Thomas' }, '80')),
    step('admin', 'R1.4', practitioner(RPPS.pharmacist, { family: 'Fontaine', given: 'Nicolas' }, '21', 'SM21')),
    step('admin', 'R1.4', practitioner(RPPS.psychiatrist, { family: 'Rousseau', given: 'Hélène' }, '10', 'SM42')),
    step('admin', 'R1.4', practitioner(RPPS.emergency, { family: 'Mercier', given: 'Antoine' }, '10', 'SM59')),
    step('admin', 'R1.4', practitionerRole(RPPS.emergency, '10', 'SM59', DEMO_HOSPITAL.id)),
    step('admin', 'R1.4', practitioner(RPPS.blocked, { family: 'Lefèvre', given: 'Paul' }, '10', 'SM26')),
    step('admin', 'R1.4', practitioner(RPPS.regulator, { family: 'Cohen', given: 'Sarah' }, '10', 'SM59')),
  ];
}

function claireDocuments(ctx: DemoContext): SeedStep[] {
  const holder = 'demo-claire';
  const doc = (spec: Omit<Parameters<typeof document>[0], 'holder'>) => document({ ...spec, holder });
  const hospitalLetter = doc({
    id: 'demo-claire-hospital-letter', type: '11490-0', typeDisplay: "Lettre de sortie d'hospitalisation", classCode: '10',
    author: [AUTHORS.emergency, { identifier: { system: FINESS_SYSTEM, value: DEMO_HOSPITAL.finess }, display: DEMO_HOSPITAL.name }],
    date: '2024-11-18T16:30:00+01:00', description: 'Lettre de sortie — hospitalisation pour malaise',
  });
  const oldSynthesis = doc({
    id: 'demo-claire-old-synthesis', type: '34133-9', typeDisplay: "Synthèse d'épisode de soins", classCode: '11',
    author: [AUTHORS.gp], date: '2019-03-04T10:00:00+01:00', description: 'Synthèse 2019 — entorse de la cheville',
  });
  const lab = doc({
    id: 'demo-claire-lab-2025', type: '11502-2', typeDisplay: 'Compte rendu de biologie', classCode: '10',
    author: [AUTHORS.gp], date: '2025-01-20T09:00:00+01:00', description: 'Bilan lipidique (janvier 2025)',
  });
  return [
    step('gp', 'D15', content('demo-bin-claire-vsm', 'demo-claire-vsm', 'Volet de synthèse médicale de Claire Moreau.\nAntécédents : hypertension artérielle. Traitement : ramipril 5 mg.')),
    step('gp', 'R8.4', doc({
      id: 'demo-claire-vsm', type: '60591-5', typeDisplay: 'Synthèse du dossier médical (VSM)', classCode: '11',
      author: [AUTHORS.gp], date: '2025-02-03T11:00:00+01:00', description: 'Volet de synthèse médicale', binary: 'demo-bin-claire-vsm',
    })),
    step('gp', 'D15', content('demo-bin-claire-consultation', 'demo-claire-consultation', 'Consultation du 3 février 2025 : tension 13/8, pas de plainte.')),
    step('gp', 'R8.1', doc({
      id: 'demo-claire-consultation', type: '11488-4', typeDisplay: 'Compte rendu de consultation', classCode: '10',
      author: [AUTHORS.gp], date: '2025-02-03T11:00:00+01:00', description: 'Consultation de suivi', binary: 'demo-bin-claire-consultation',
    })),
    step('emergency', 'R3.2', hospitalLetter, [step('claire', 'R5.2', withLabels(hospitalLetter, ['MASQUE_PS']))]),
    step('psychiatrist', 'R4.3', doc({
      id: 'demo-claire-psychiatry', type: '68599-0', typeDisplay: 'Synthèse psychiatrique', classCode: '11', psychiatry: true,
      author: [AUTHORS.psychiatrist], date: '2024-09-12T14:00:00+02:00', description: 'Synthèse psychiatrique',
    })),
    step('gp', 'R8.1', lab),
    step('gp', 'R8.3', doc({
      id: 'demo-claire-lab-2025-corrected', type: '11502-2', typeDisplay: 'Compte rendu de biologie', classCode: '10',
      author: [AUTHORS.gp], date: '2025-01-22T09:00:00+01:00', description: 'Bilan lipidique (janvier 2025), corrigé',
      relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/demo-claire-lab-2025' } }],
    })),
    step('gp', 'R5.3', doc({
      id: 'demo-claire-lab-unreleased', type: '11502-2', typeDisplay: 'Compte rendu de biologie', classCode: '10', labels: ['INVISIBLE_PATIENT'],
      author: [AUTHORS.gp], date: '2025-03-01T09:00:00+01:00', description: 'Résultat à annoncer en consultation',
    })),
    step('emergency', 'R3.2', doc({
      id: 'demo-claire-imaging', type: '18748-4', typeDisplay: "Compte rendu d'imagerie", classCode: '31',
      author: [AUTHORS.emergency], date: '2024-11-17T22:10:00+01:00', description: 'Scanner cérébral',
    })),
    step('delegate', 'R8.1', doc({
      id: 'demo-claire-prescription', type: '57833-6', typeDisplay: 'Prescription de médicaments', classCode: '42',
      author: [AUTHORS.gp], date: '2025-02-03T11:15:00+01:00', description: 'Ordonnance — ramipril 5 mg',
    })),
    step('pharmacist', 'R4.2', doc({
      id: 'demo-claire-dispensation', type: '57828-6', typeDisplay: 'Prescription / dispensation', classCode: '43',
      author: [AUTHORS.pharmacist], date: '2025-02-04T17:40:00+01:00', description: 'Dispensation — ramipril 5 mg',
    })),
    step('nurse', 'R3.1', doc({
      id: 'demo-claire-vaccination-note', type: '87273-9', typeDisplay: 'Note de vaccination', classCode: '10',
      author: [AUTHORS.nurse], date: '2024-10-21T10:00:00+02:00', description: 'Vaccination antigrippale 2024',
    })),
    step('gp', 'R8.1', oldSynthesis, [step('claire', 'R7.3', archived(oldSynthesis))]),
    step('claire', 'R7.2', doc({
      id: 'demo-claire-personal', type: [TRE_A05, 'DOCPAT01'], typeDisplay: 'Document du patient', classCode: '90',
      author: [{ reference: `Patient/${holder}` }], date: '2025-02-10T20:00:00+01:00', description: 'Mon relevé de tension',
    })),
    step('claire', 'R7.2', doc({
      id: 'demo-claire-directives', type: [TRE_A05, 'EXPPAT_3'], typeDisplay: 'Directives anticipées', classCode: '90',
      author: [{ reference: `Patient/${holder}` }], date: '2023-06-01T12:00:00+02:00', description: 'Mes directives anticipées',
    })),
    step('insurer-feed', 'R8.5', reimbursement(ctx, holder, 'demo-claire-reimbursement')),
    step('nurse', 'R4.5', allergy('demo-claire-allergy', holder, 'Pénicilline', AUTHORS.nurse, '2024-10-21')),
    step('nurse', 'R4.5', immunization('demo-claire-immunization', holder, 'Vaccin grippal 2024-2025', '2024-10-21', AUTHORS.nurse)),
  ];
}

/** D17, R8.5: the reimbursement history, authored by the insurer's Organization, class 60, never masked. */
function reimbursement(ctx: DemoContext, holder: string, id: string) {
  const author: Reference = {
    reference: ctx.insurerOrganization,
    identifier: { system: FINESS_SYSTEM, value: ctx.insurer.finess },
    display: ctx.insurer.name,
  };
  return document({
    id, holder, type: [TRE_A05, 'REMB'], typeDisplay: 'Historique des remboursements', classCode: '60', author: [author],
    date: ctx.now.toISOString(), description: 'Historique des remboursements des 24 derniers mois',
  });
}

export function demoSteps(ctx: DemoContext): SeedStep[] {
  const holders = demoHolders(ctx.now);
  const { claire, jean, lucas, marc, sophie } = holders;
  const at = ctx.now.toISOString();
  const openings = {
    claire: dmpOpening('demo-claire-dmp', claire.id, `Patient/${claire.id}`, at),
    jean: dmpOpening('demo-jean-dmp', jean.id, `Patient/${jean.id}`, at),
    lucas: dmpOpening('demo-lucas-dmp', lucas.id, 'RelatedPerson/demo-lucas-mother', at),
    marc: dmpOpening('demo-marc-dmp', marc.id, `Patient/${marc.id}`, at),
  };
  const marcReport = document({
    id: 'demo-marc-report', holder: marc.id, type: '11488-4', typeDisplay: 'Compte rendu de consultation', classCode: '10',
    author: [AUTHORS.gp], date: '2024-05-06T09:30:00+02:00', description: 'Consultation',
  });
  return [
    ...directory(),
    // R2.2: registering the holders, and the minor's mother (D35)
    step('reception', 'R2.2', holderPatient(claire)),
    step('reception', 'R2.2', holderPatient(lucas)),
    step('reception', 'D35', parent('demo-lucas-mother', lucas.id, { family: 'Moreau', given: 'Claire' }, lucas.birthDate)),
    step('gp', 'R2.2', holderPatient(jean)),
    step('insurer-agent', 'R2.2', holderPatient(marc)),
    step('insurer-agent', 'R2.2', holderPatient(sophie)),
    // R2.1-R2.3: opening the DMPs (Sophie has none)
    step('reception', 'R2.2', openings.claire),
    step('gp', 'R2.2', openings.jean),
    step('reception', 'R2.3', openings.lucas),
    step('insurer-agent', 'R2.2', openings.marc),
    // section 3: the holders' choices
    step('claire', 'R3.4', accessChoices('demo-claire-choices', claire.id, {
      gp: [RPPS.gp], permit: [RPPS.nurse, RPPS.podiatrist, RPPS.pharmacist, RPPS.psychiatrist], structures: [DEMO_HOSPITAL.finess], blocked: [RPPS.blocked],
    }, at)),
    step('jean', 'R3.5', accessChoices('demo-jean-choices', jean.id, { gp: [RPPS.gp], opposed: true }, at)),
    step('lucas-mother', 'R7.5', accessChoices('demo-lucas-choices', lucas.id, { gp: [RPPS.gp] }, at)),
    step('marc', 'R3.3', accessChoices('demo-marc-choices', marc.id, { gp: [RPPS.gp] }, at)),
    // the documents
    ...claireDocuments(ctx),
    step('gp', 'R8.1', document({
      id: 'demo-jean-consultation', holder: jean.id, type: '11488-4', typeDisplay: 'Compte rendu de consultation', classCode: '10',
      author: [AUTHORS.gp], date: '2025-01-14T10:00:00+01:00', description: 'Consultation — suivi cardiologique',
    })),
    step('insurer-feed', 'R8.5', reimbursement(ctx, jean.id, 'demo-jean-reimbursement')),
    step('gp', 'R3.3', document({
      id: 'demo-lucas-consultation', holder: lucas.id, type: '11488-4', typeDisplay: 'Compte rendu de consultation', classCode: '10',
      author: [AUTHORS.gp], date: '2025-01-08T17:00:00+01:00', description: 'Consultation — angine',
    })),
    step('gp', 'R5.4', document({
      id: 'demo-lucas-confidential', holder: lucas.id, type: '11488-4', typeDisplay: 'Compte rendu de consultation', classCode: '10',
      labels: ['INVISIBLE_REPRESENTANTS_LEGAUX'], author: [AUTHORS.gp], date: '2025-02-12T17:30:00+01:00', description: 'Consultation à la demande du patient',
    })),
    step('gp', 'R4.5', immunization('demo-lucas-immunization', lucas.id, 'Rappel dTcaP', '2024-09-02', AUTHORS.gp)),
    // R9.1: Marc closes his DMP after his GP's report
    step('gp', 'R8.1', marcReport, [step('marc', 'R9.1', dmpClosure(openings.marc, 'holder-request', parisDay(ctx.now)))]),
  ];
}
