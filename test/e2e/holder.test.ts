import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startE2E, type E2E, type Page } from './harness.js';
import { demoIdentity } from '../../src/lifecycle/demo-identities.js';

/** A one-page PDF showing `text`. */
function onePagePdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 20 70 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = pdf.length;
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** The holder's space in a real browser, against a real server seeded with the demo DMPs. */
describe('Mon DMP in the browser', () => {
  let e2e: E2E;
  const pages: Page[] = [];
  const open = async () => {
    const page = await e2e.newPage();
    pages.push(page);
    return page;
  };

  beforeAll(async () => {
    e2e = await startE2E();
  }, 240_000);
  afterAll(async () => {
    await e2e?.close();
  }, 60_000);

  const documentRow = (page: Page, title: string) => page.getByRole('listitem').filter({ has: page.getByText(title, { exact: true }) });

  it('lets the holder mask a document to professionals, and the mask stays after a reload', async () => {
    const page = await open();
    await signIn(page, e2e.baseUrl, 'claire');
    await expect.poll(() => page.url()).toContain('#/mon-dmp');
    await page.getByRole('heading', { name: 'Mon DMP', level: 1 }).waitFor();
    const row = documentRow(page, 'Consultation de suivi');
    await row.waitFor();
    expect(await row.getByText('Masqué aux professionnels').count()).toBe(0);
    await row.getByRole('button', { name: 'Masquer aux professionnels' }).click();
    await row.getByText('Masqué aux professionnels').waitFor();
    await page.reload();
    const reloaded = documentRow(page, 'Consultation de suivi');
    await reloaded.getByText('Masqué aux professionnels').waitFor();
    expect(await reloaded.getByRole('button', { name: 'Ne plus masquer' }).count()).toBe(1);
    // R8.6: reimbursement data offer no masking control at all
    const reimbursement = documentRow(page, 'Historique des remboursements des 24 derniers mois');
    await reimbursement.waitFor();
    expect(await reimbursement.getByRole('button', { name: 'Masquer aux professionnels' }).count()).toBe(0);
    await e2e.screenshot(page, 'holder-documents-masked');
  });

  it('opens a document in the page', async () => {
    const page = await open();
    await signIn(page, e2e.baseUrl, 'claire');
    const row = documentRow(page, 'Volet de synthèse médicale');
    await row.getByRole('button', { name: /^Ouvrir/ }).click();
    await row.getByText('Antécédents : hypertension artérielle').waitFor();
    await e2e.screenshot(page, 'holder-document-open');
  });

  it("lists professionals' accesses in the timeline, a break-glass access highlighted", async () => {
    // Dr Mercier reads Lucas's DMP under break-glass (R6.1), through the API as any software would
    const minted = await fetch(`${e2e.baseUrl}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(demoIdentity('emergency-break-glass').claims),
    });
    const { access_token } = (await minted.json()) as { access_token: string };
    const read = await fetch(`${e2e.baseUrl}/fhir/DocumentReference?patient=Patient/demo-lucas`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(read.status).toBe(200);

    const page = await open();
    await signIn(page, e2e.baseUrl, 'lucas-mother');
    await page.getByRole('link', { name: 'Historique des accès' }).click();
    const history = page.getByRole('region', { name: 'Historique des accès' });
    await history.getByRole('heading', { name: 'Historique des accès' }).waitFor();
    const timeline = history.getByRole('list').last();
    // the directory gives the RPPS its name and profession
    const emergency = timeline.getByRole('listitem').filter({ hasText: 'Accès en urgence (bris de glace)' }).filter({ hasText: 'Antoine Mercier (médecin, médecine d’urgence) a recherché' });
    await emergency.first().waitFor();
    expect(await emergency.first().getAttribute('class')).toContain('break-glass');
    // the DMP GP's deposit is there too, with her profession
    await timeline.getByRole('listitem').filter({ hasText: 'Marie Bernard (médecin, médecine générale) a enregistré « Consultation — angine »' }).first().waitFor();
    // R5.5: the document hidden from representatives is named nowhere in their timeline
    expect(await history.textContent()).not.toContain('Consultation à la demande du patient');
    await page.locator('figure.chart canvas').waitFor();
    await e2e.screenshot(page, 'representative-access-history');
  });

  it('shows the representative the minor\'s DMP without the document hidden from representatives', async () => {
    const page = await open();
    await signIn(page, e2e.baseUrl, 'lucas-mother');
    await page.getByRole('heading', { name: 'DMP de Lucas Moreau', level: 1 }).waitFor();
    await documentRow(page, 'Consultation — angine').waitFor();
    expect(await page.getByText('Consultation à la demande du patient').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('Consultation à la demande du patient');
    await e2e.screenshot(page, 'representative-documents');
  });

  it('adds a note to the personal space, archives it, records an access choice and downloads the whole DMP', async () => {
    const page = await open();
    await signIn(page, e2e.baseUrl, 'claire');
    await page.getByRole('link', { name: 'Espace personnel' }).click();
    await page.getByLabel('Titre du document').fill('Mes mesures de glycémie');
    await page.getByLabel('Note (texte)').fill('Glycémie à jeun : 0,95 g/L');
    await page.getByRole('button', { name: 'Ajouter à mon espace personnel' }).click();
    await page.getByRole('status').filter({ hasText: '« Mes mesures de glycémie » a été ajouté' }).waitFor();
    const note = documentRow(page, 'Mes mesures de glycémie');
    await note.getByRole('button', { name: /^Ouvrir/ }).click();
    await note.getByText('Glycémie à jeun : 0,95 g/L').waitFor();
    await note.getByRole('button', { name: 'Archiver' }).click();
    // R7.3: archived, it leaves the default search and stays in the archived list
    await note.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Documents' }).click();
    const archived = page.getByRole('region', { name: /^Documents archivés/ });
    const archivedNote = archived.getByRole('listitem').filter({ has: page.getByText('Mes mesures de glycémie', { exact: true }) });
    await archivedNote.getByText('Archivé', { exact: true }).waitFor();
    expect(await documentRow(page, 'Mes mesures de glycémie').count()).toBe(1);

    // R3.5 through the Consent: the choice is read back from the server after a reload
    await page.getByRole('link', { name: 'Autorisations' }).click();
    const opposition = page.getByLabel(/Je m’oppose à l’accès en urgence/);
    expect(await opposition.isChecked()).toBe(false);
    await opposition.check();
    await page.getByRole('status').filter({ hasText: 'Vos choix sont enregistrés' }).waitFor();
    await page.reload();
    await page.getByLabel(/Je m’oppose à l’accès en urgence/).waitFor();
    expect(await page.getByLabel(/Je m’oppose à l’accès en urgence/).isChecked()).toBe(true);

    // R7.4: $everything saved as a JSON file
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger tout mon DMP (JSON)' }).click()]);
    const file = await download.path();
    const bundle = JSON.parse(await readFile(file, 'utf8')) as { resourceType: string; entry: Array<{ resource: { resourceType: string; id: string; description?: string } }> };
    expect(bundle.resourceType).toBe('Bundle');
    const descriptions = bundle.entry.map((e) => e.resource.description);
    expect(descriptions).toContain('Mes mesures de glycémie');
    expect(descriptions).toContain('Consultation de suivi');
    expect(descriptions).not.toContain('Résultat à annoncer en consultation'); // R5.3: not yet released
    await e2e.screenshot(page, 'holder-authorisations');
  });

  it('uploads a PDF to the personal space and shows it in the page', async () => {
    const page = await open();
    await signIn(page, e2e.baseUrl, 'claire');
    await page.getByRole('link', { name: 'Espace personnel' }).click();
    await page.getByLabel('Titre du document').fill('Bilan PDF de test');
    await page.getByLabel('Ou un fichier (PDF, image, texte)').setInputFiles({ name: 'bilan.pdf', mimeType: 'application/pdf', buffer: onePagePdf('Bilan PDF de test') });
    await page.getByRole('button', { name: 'Ajouter à mon espace personnel' }).click();
    const row = documentRow(page, 'Bilan PDF de test');
    await row.getByRole('button', { name: /^Ouvrir/ }).click();
    const frame = row.locator('iframe[title="Document PDF : Bilan PDF de test"]');
    await frame.waitFor();
    // the frame holds the uploaded PDF, read back through the FHIR API into a blob: URL
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    const pdfType = async () => {
      const pdfFrame = page.frames().find((f) => f.parentFrame() === page.mainFrame() && f.url().startsWith('blob:'));
      return pdfFrame?.evaluate(() => document.contentType).catch(() => undefined);
    };
    await expect.poll(pdfType, { timeout: 10_000 }).toBe('application/pdf');
    await page.waitForTimeout(1000); // let the PDF viewer paint before the screenshot
    await e2e.screenshot(page, 'holder-personal-pdf');
  });

  it("shows the server's refusal of a change to a closed DMP as a readable message", async () => {
    const page = await open();
    await signIn(page, e2e.baseUrl, 'marc');
    await page.getByRole('status').filter({ hasText: 'Ce DMP est fermé depuis le' }).waitFor();
    const row = documentRow(page, 'Consultation');
    await row.getByRole('button', { name: 'Masquer aux professionnels' }).click();
    const alert = row.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain('Erreur 409 : Opération impossible dans l’état actuel du dossier.');
    expect(text).toContain('DMP_CLOSED');
    expect(text).toContain('R9.2');
    expect(await row.getByText('Masqué aux professionnels').count()).toBe(0);
    await e2e.screenshot(page, 'holder-closed-dmp-refusal');
  });

  it('shows an error of the API as a readable message', async () => {
    const page = await open();
    // a token whose signature the server cannot verify
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ dmp_role: 'patient', sub: 'demo-claire', fhirUser: 'Patient/demo-claire', exp: 4102444800 })}.${b64({ sig: 'none' })}`;
    await page.goto(`${e2e.baseUrl}/#/`);
    await page.getByLabel("Jeton d'accès (token)").fill(forged);
    // by keyboard alone: from the field, Tab reaches « Se connecter »
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Se connecter');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain('Erreur 401');
    expect(text).toMatch(/reconnectez-vous/);
    expect(text).toMatch(/code : (login|security)/);
    await e2e.screenshot(page, 'holder-api-error');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
  });
});
