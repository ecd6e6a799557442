import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoHolders, insOf } from '../../src/lifecycle/demo-identities.js';
import { signIn, startE2E, type E2E, type Page, documentsLoaded, searchPatient } from './harness.js';

/**
 * What one role does in the web front-end, seen by another: the holder's masking in a
 * professional's view, a professional's break-glass in the holder's access history, and the rules
 * explorer's answers for the holder, the administrator and a professional.
 */

const holders = demoHolders(new Date());
const CLAIRE_INS = insOf(holders.claire.nir);
const LUCAS_INS = insOf(holders.lucas.nir);



describe('across roles in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.close();
  });

  it('R5.1: once Claire masks a document, the pédicure-podologue’s view no longer lists it', { timeout: 120_000 }, async () => {
    const vaccine = 'Vaccination antigrippale 2024';
    const podiatrist = await e2e.newPage();
    await signIn(podiatrist, e2e.baseUrl, 'podiatrist');
    await searchPatient(podiatrist, CLAIRE_INS);
    await documentsLoaded(podiatrist);
    await podiatrist.locator('li.document', { hasText: vaccine }).waitFor();
    await e2e.screenshot(podiatrist, 'cross-podiatrist-before-masking');

    const claire = await e2e.newPage();
    await signIn(claire, e2e.baseUrl, 'claire');
    const item = claire.locator('li.document', { hasText: vaccine });
    await item.getByRole('button', { name: 'Masquer aux professionnels' }).click();
    await item.getByText('Masqué aux professionnels', { exact: true }).waitFor();

    await podiatrist.reload();
    await documentsLoaded(podiatrist);
    // the list answered (the summary is still there) and the masked document is gone from it
    await podiatrist.locator('li.document', { hasText: 'Volet de synthèse médicale' }).waitFor();
    expect(await podiatrist.locator('li.document', { hasText: vaccine }).count()).toBe(0);
    expect(await podiatrist.getByText(vaccine).count()).toBe(0);
    await e2e.screenshot(podiatrist, 'cross-podiatrist-after-masking');
  });

  it('R6.4: a break-glass access shows up highlighted in the access history of the holder’s side', { timeout: 120_000 }, async () => {
    const emergency = await e2e.newPage();
    await signIn(emergency, e2e.baseUrl, 'emergency');
    await searchPatient(emergency, LUCAS_INS);
    await emergency.getByRole('button', { name: 'Accès en urgence (bris de glace)', exact: true }).click();
    await emergency.getByLabel("Motif de l'accès en urgence").fill('Traumatisme crânien, patient adressé par le SAMU');
    await emergency.getByRole('button', { name: 'Confirmer l’accès en urgence' }).click();
    await emergency.locator('li.document', { hasText: 'Consultation — angine' }).waitFor();

    // Lucas is a minor: his mother reads his access history (R7.5, R10.1)
    const mother = await e2e.newPage();
    await signIn(mother, e2e.baseUrl, 'lucas-mother');
    await mother.goto(`${e2e.baseUrl}/#/mon-dmp/historique`);
    await mother.getByRole('heading', { name: 'Historique des accès' }).waitFor();
    const entry = mother.locator('ol.timeline > li', { hasText: 'Accès en urgence (bris de glace)' }).first();
    await entry.waitFor();
    expect(await entry.textContent()).toMatch(/Mercier|10001000065/);
    // highlighted: its background is not the page's, unlike an ordinary entry
    const background = await entry.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    const ordinary = mother.locator('ol.timeline > li:not(.break-glass)').first();
    if ((await ordinary.count()) > 0) expect(await ordinary.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(background);
    await entry.scrollIntoViewIfNeeded();
    await e2e.screenshot(mother, 'cross-break-glass-in-history');
  });

  it('the rules explorer: the matrix as a keyboard grid, and who can see a document by which rule', { timeout: 120_000 }, async () => {
    const admin = await e2e.newPage();
    await signIn(admin, e2e.baseUrl, 'admin');
    await expect.poll(() => admin.url()).toContain('#/regles');
    const grid = admin.getByRole('grid');
    await grid.waitFor();
    const podiatristRow = grid.getByRole('row', { name: /Pédicure-podologue/ });
    const cells = await podiatristRow.getByRole('gridcell').allTextContents();
    // columns in the order of profiles/document-families.json: summary, reports, mental-health, …
    expect(cells.slice(0, 3).map((c) => c.replace(/[✓✗]\s*/, ''))).toEqual(['Oui', 'Non', 'Non']);
    // keyboard: from the first header cell, down then right reaches the first row's first family
    await grid.locator('[data-cell="0-0"]').focus();
    await admin.keyboard.press('ArrowDown');
    await admin.keyboard.press('ArrowRight');
    expect(await admin.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe('1-1');
    expect(await admin.evaluate(() => document.activeElement?.textContent)).toContain('Oui');
    await e2e.screenshot(admin, 'rules-matrix');

    // the administrator asks about a document by id (R1.4: without reading it)
    await admin.getByLabel('Identifiant du document (DocumentReference)').fill('demo-claire-psychiatry');
    await admin.getByRole('button', { name: 'Qui peut voir ce document ?' }).click();
    const report = admin.locator('table.access-report');
    await report.waitFor();
    const blocked = report.getByRole('row', { name: /10001000073/ });
    expect(await blocked.textContent()).toContain('R3.4');
    expect(await blocked.textContent()).toContain('Non');

    // a document that does not exist: the server's 404, readably
    await admin.getByLabel('Identifiant du document (DocumentReference)').fill('inconnu');
    await admin.getByRole('button', { name: 'Qui peut voir ce document ?' }).click();
    const missing = admin.getByRole('alert').filter({ hasText: 'Erreur 404' });
    await missing.waitFor();
    expect(await missing.textContent()).toContain('DocumentReference/inconnu is not known');

    // the holder picks her document from her list; the answer names the rule in French
    const claire = await e2e.newPage();
    await signIn(claire, e2e.baseUrl, 'claire');
    await claire.goto(`${e2e.baseUrl}/#/regles`);
    await claire.getByLabel('Document', { exact: true }).selectOption({ label: await optionLabel(claire, 'Synthèse psychiatrique') });
    await claire.getByRole('button', { name: 'Qui peut voir ce document ?' }).click();
    const podiatrist = claire.locator('table.access-report').getByRole('row', { name: /10001000032/ });
    await podiatrist.waitFor();
    const text = await podiatrist.textContent();
    expect(text).toContain('R4.2');
    expect(text).toContain('La matrice d’habilitation ne donne pas cette famille de documents à cette profession');
    const author = claire.locator('table.access-report').getByRole('row', { name: /10001000057/ });
    expect(await author.textContent()).toMatch(/auteur du document.*Oui/);
    await e2e.screenshot(claire, 'rules-access-holder');

    // a minor's representative picks among the documents of the child she acts for (R7.5)
    const mother = await e2e.newPage();
    await signIn(mother, e2e.baseUrl, 'lucas-mother');
    await mother.goto(`${e2e.baseUrl}/#/regles`);
    const choices = mother.getByLabel('Document', { exact: true });
    await choices.locator('option', { hasText: 'Consultation — angine' }).waitFor({ state: 'attached' });
    // R5.4: the consultation kept from his parents is not among them
    expect(await choices.locator('option', { hasText: 'Consultation à la demande du patient' }).count()).toBe(0);
    await choices.selectOption({ label: await optionLabel(mother, 'Consultation — angine') });
    await mother.getByRole('button', { name: 'Qui peut voir ce document ?' }).click();
    const gpRow = mother.locator('table.access-report').getByRole('row', { name: /10001000016/ });
    await gpRow.waitFor();
    expect(await gpRow.textContent()).toMatch(/médecin traitant DMP.*Oui.*R3\.3/);

    // D28: a professional is refused, and the refusal is shown readably
    const gp = await e2e.newPage();
    await signIn(gp, e2e.baseUrl, 'gp');
    await gp.goto(`${e2e.baseUrl}/#/regles?document=demo-claire-psychiatry`);
    const refusal = gp.getByRole('alert').filter({ hasText: 'Erreur 403' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Accès refusé par les règles du DMP');
  });
});

/** The full text of the select option that starts with `title` (it also carries the date). */
async function optionLabel(page: Page, title: string): Promise<string> {
  const select = page.getByLabel('Document', { exact: true });
  await select.locator('option', { hasText: title }).first().waitFor({ state: 'attached' });
  return (await select.locator('option', { hasText: title }).first().textContent())!;
}
