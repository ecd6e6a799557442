import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoHolders, insOf } from '../../src/lifecycle/demo-identities.js';
import { signIn, startE2E, type E2E, type Page, documentsLoaded, searchPatient } from './harness.js';

/**
 * The professional's space (`#/pro`) in a real browser against a real server in development mode
 * with the demo DMPs: what each demo professional sees is what the server's rules let through.
 */

const holders = demoHolders(new Date());
const CLAIRE_INS = insOf(holders.claire.nir);
const LUCAS_INS = insOf(holders.lucas.nir);
const JEAN_INS = insOf(holders.jean.nir);

/** A small but well-formed one-page PDF (with its cross-reference table) showing `text`. */
function minimalPdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 20 70 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 320 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}



describe('the professional’s space in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.close();
  });

  it('R3.4: the professional Claire blocked finds nothing of her, not even her file', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, 'blocked');
    await expect.poll(() => page.url()).toContain('#/pro');
    await searchPatient(page, CLAIRE_INS);
    await page.getByText(`Aucun patient accessible pour l’INS ${CLAIRE_INS}`).waitFor();
    expect(await page.getByRole('heading', { name: /Dossier de/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Documents', exact: true }).count()).toBe(0);
    expect(await page.getByText('Claire', { exact: false }).count()).toBe(0);
    await e2e.screenshot(page, 'pro-blocked-sees-nothing');
  });

  it('R8.2: the delegate sees only the deposit form, and deposits in the GP’s name', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, 'delegate');
    await page.getByRole('heading', { name: 'Déposer un document' }).waitFor();
    expect(await page.getByLabel('INS du patient').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Rechercher' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Accès en urgence (bris de glace)' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Documents', exact: true }).count()).toBe(0);
    // the only form on the page is the deposit
    expect(await page.locator('form').count()).toBe(1);

    await page.getByLabel('Identifiant du patient (ressource Patient)').fill(holders.claire.id);
    await page.getByLabel('Titre du document').fill('Ordonnance déposée par le secrétariat');
    await page.getByLabel('Fichier').setInputFiles({ name: 'ordonnance.txt', mimeType: 'text/plain', buffer: Buffer.from('Ordonnance : paracétamol 1 g.') });
    await page.getByRole('button', { name: 'Déposer', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Document déposé \(DocumentReference\/[\w.-]+\)/ }).waitFor();
    await e2e.screenshot(page, 'pro-delegate-deposit-only');
  });

  it('deposits a PDF as an ITI-65 bundle, then opens it in the page from the uploaded bytes', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, 'gp');
    await searchPatient(page, CLAIRE_INS);
    await page.getByRole('heading', { name: 'Dossier de Claire MOREAU' }).waitFor();
    await documentsLoaded(page);
    // the DMP GP sees every family, masked documents included (R3.3), each with its labels and family
    const family = async (title: string) => (await page.locator('li.document', { hasText: title }).locator('.meta').textContent()) ?? '';
    expect(await family('Synthèse psychiatrique')).toContain('famille « Santé mentale »');
    expect(await family('Historique des remboursements')).toContain('famille « Remboursements »');
    expect(await family('Mon relevé de tension')).toContain('famille « Espace personnel »');
    expect(await family('Mes directives anticipées')).toContain('famille « Volontés »');
    const masked = page.locator('li.document', { hasText: 'Lettre de sortie — hospitalisation pour malaise' });
    expect(await masked.locator('.badge').allTextContents()).toEqual(['Masqué aux professionnels']);
    const unreleased = page.locator('li.document', { hasText: 'Résultat à annoncer en consultation' });
    expect(await unreleased.locator('.badge').allTextContents()).toEqual(['Non visible par le patient']);

    const title = `Compte rendu de test ${Date.now()}`;
    const pdf = minimalPdf('Compte rendu e2e');
    await page.getByLabel('Type de document').selectOption({ label: 'Compte rendu de consultation' });
    await page.getByLabel('Titre du document').fill(title);
    await page.getByLabel('Fichier').setInputFiles({ name: 'compte-rendu-e2e.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Déposer', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Document déposé \(DocumentReference\/[\w.-]+\)/ }).waitFor();

    // the list reloads from the server and now holds the deposit, authored by the GP (R8.1)
    const item = page.locator('li.document', { hasText: title });
    await item.waitFor();
    await expect.poll(() => item.textContent()).toContain('RPPS 10001000016');
    await item.getByRole('button', { name: `Ouvrir « ${title} »` }).click();

    const frame = page.locator('iframe.document-pdf');
    await frame.waitFor();
    const src = await frame.getAttribute('src');
    expect(src).toMatch(/^blob:/);
    const link = page.getByRole('link', { name: /Télécharger le fichier \(application\/pdf\)/ });
    expect(await link.getAttribute('href')).toBe(src);
    const [download] = await Promise.all([page.waitForEvent('download', (d) => d.suggestedFilename() === 'compte-rendu-e2e.pdf'), link.click()]);
    const bytes = await readFile((await download.path())!);
    expect(bytes.equals(pdf)).toBe(true);
    await frame.scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'pro-pdf-deposit-and-open');
  });

  it('R6.1: break-glass by the emergency physician on Lucas, with a stated reason, shows the red banner and his documents', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, 'emergency');
    await searchPatient(page, LUCAS_INS);
    await page.getByRole('heading', { name: 'Dossier de Lucas MOREAU' }).waitFor();
    // R3.7: without break-glass, the emergency physician sees nothing of Lucas
    await page.getByText('Aucun document visible pour vous dans ce dossier.').waitFor();
    expect(await page.getByRole('heading', { name: /Bris de glace en cours/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Accès en urgence (bris de glace)', exact: true }).click();
    const reason = 'Patient inconscient admis aux urgences, recherche d’antécédents';
    // the reason is required: an empty one is refused with a readable message
    await page.getByRole('button', { name: 'Confirmer l’accès en urgence' }).click();
    await page.getByRole('alert').filter({ hasText: 'indiquez le motif de l’accès en urgence' }).waitFor();
    await page.getByLabel("Motif de l'accès en urgence").fill(reason);
    await page.getByRole('button', { name: 'Confirmer l’accès en urgence' }).click();

    const banner = page.locator('section.break-glass-banner');
    await banner.getByRole('heading', { name: /Bris de glace en cours/ }).waitFor();
    await expect.poll(() => banner.textContent()).toContain(`Motif : ${reason}`);
    await expect.poll(() => banner.textContent()).toContain(`Lucas MOREAU (INS ${LUCAS_INS})`);
    // clearly marked in red: the banner's border is the danger colour
    expect(await banner.evaluate((el) => getComputedStyle(el).borderTopColor)).toBe('rgb(164, 22, 26)');
    await page.locator('li.document', { hasText: 'Consultation — angine' }).waitFor();
    // R5.4: the consultation Lucas keeps from his parents is visible to professionals, with its label shown
    const confidential = page.locator('li.document', { hasText: 'Consultation à la demande du patient' });
    expect(await confidential.locator('.badge').allTextContents()).toEqual(['Masqué aux représentants légaux']);
    await e2e.screenshot(page, 'pro-break-glass-banner');

    // R3.5: Jean opposed emergency access; the server's refusal is shown with its rule
    await searchPatient(page, JEAN_INS);
    await page.getByRole('heading', { name: 'Dossier de Jean DUPONT' }).waitFor();
    const refusal = page.getByRole('alert').filter({ hasText: 'Erreur 403' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('the patient opposed emergency access to their DMP');
    await searchPatient(page, LUCAS_INS);
    await page.locator('li.document', { hasText: 'Consultation — angine' }).waitFor();

    // ending it goes back to the ordinary token: the banner and Lucas's documents are gone
    await page.getByRole('button', { name: 'Mettre fin à l’accès en urgence' }).click();
    await page.getByText('Aucun document visible pour vous dans ce dossier.').waitFor();
    expect(await banner.count()).toBe(0);
  });

  it('outside development mode, break-glass is explained as the identity provider’s to issue', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, 'emergency');
    // a server with AUTH_* set has no POST /dev/token (D4)
    await page.route('**/dev/token', (route) => route.fulfill({ status: 404, contentType: 'application/fhir+json', body: '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}' }));
    await searchPatient(page, LUCAS_INS);
    await page.getByRole('button', { name: 'Accès en urgence (bris de glace)', exact: true }).click();
    await page.getByLabel("Motif de l'accès en urgence").fill('Arrêt cardio-respiratoire, recherche de traitements');
    await page.getByRole('button', { name: 'Confirmer l’accès en urgence' }).click();
    const explanation = page.getByRole('alert').filter({ hasText: 'seul votre fournisseur d’identité peut émettre un jeton d’accès en urgence' });
    await explanation.waitFor();
    expect(await explanation.textContent()).toContain('purpose_of_use');
    expect(await page.locator('section.break-glass-banner').count()).toBe(0);
    await e2e.screenshot(page, 'pro-break-glass-identity-provider');
  });

  it('R6.2: the SAMU regulator reaches Claire’s file under the matrix and masking, without a break-glass button', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, 'regulator');
    await page.getByRole('heading', { name: 'Accès du médecin régulateur SAMU-Centre 15' }).waitFor();
    await searchPatient(page, CLAIRE_INS);
    await documentsLoaded(page);
    await page.locator('li.document', { hasText: 'Volet de synthèse médicale' }).waitFor();
    // R5.1: the hospital letter Claire masked stays hidden from emergency access
    expect(await page.locator('li.document', { hasText: 'Lettre de sortie' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Accès en urgence (bris de glace)' }).count()).toBe(0);
    // a text document opens as text in the page
    await page.getByRole('button', { name: 'Ouvrir « Volet de synthèse médicale »' }).click();
    const text = page.getByLabel('Contenu de « Volet de synthèse médicale »');
    await text.waitFor();
    expect(await text.textContent()).toContain('Volet de synthèse médicale de Claire Moreau.');
    await e2e.screenshot(page, 'pro-regulator');
  });
});
