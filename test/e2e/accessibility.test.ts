import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults, Result } from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoHolders, demoIdentity, insOf } from '../../src/lifecycle/demo-identities.js';
import { signIn, startE2E, type E2E, type Page, documentsLoaded, searchPatient } from './harness.js';

/**
 * Issue 10's quality claims, checked in Chromium: axe-core finds no WCAG 2.1 A/AA violation on
 * any main view, the main controls work with the keyboard alone with a visible focus, and the
 * page (and Chromium's own strings) speak French.
 */

const holders = demoHolders(new Date());
const CLAIRE_INS = insOf(holders.claire.nir);
const LUCAS_INS = insOf(holders.lucas.nir);
/** WCAG 2.1 A and AA, and axe's best practices (landmarks, heading order, one h1…). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const TABS = ['Documents', 'Espace personnel', 'Proches et volontés', 'Autorisations', 'Historique des accès', 'Notifications'];

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** axe-core's violations on the page as it is, one readable paragraph per rule and node. */
async function violations(page: Page): Promise<Result[]> {
  axeSource ??= await readFile(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(
    (tags) => (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return results.violations;
}

function describeViolations(view: string, found: Result[]): string {
  return [
    `${view}: ${found.length} axe-core violation(s)`,
    ...found.map((v) =>
      [`- ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`, ...v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)].join('\n'),
    ),
  ].join('\n');
}

/** Every violation found, by rule id, across the views checked. */
const tally = new Map<string, number>();

async function expectAccessible(page: Page, view: string): Promise<void> {
  const found = await violations(page);
  for (const v of found) tally.set(v.id, (tally.get(v.id) ?? 0) + v.nodes.length);
  // soft: every view of a test is checked and reported, not only the first that fails
  expect.soft(found, describeViolations(view, found)).toEqual([]);
}



/** Waits until no "loading" message is left in the page. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !/Chargement|Recherche en cours|Interrogation du serveur/.test(document.body.innerText));
}

/** What has the focus: its tag, accessible text and whether it shows a focus ring. */
async function focused(page: Page): Promise<{ tag: string; text: string; label: string; visible: boolean; ring: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', text: '', label: '', visible: false, ring: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const label = el.id ? (document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent ?? '') : '';
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      label: (el.getAttribute('aria-label') ?? label).replace(/\s+/g, ' ').trim(),
      visible: el.matches(':focus-visible'),
      ring: outline || shadow,
    };
  });
}

/** Presses `key` (Tab or Shift+Tab) until the focused element satisfies `wanted`; fails after `max` presses. */
async function tabTo(page: Page, wanted: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string, key = 'Tab', max = 80): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (wanted(now)) {
      // WCAG 2.4.7: the keyboard focus is visible, with the stylesheet's ring
      expect(now.visible, `${what}: :focus-visible`).toBe(true);
      expect(now.ring, `${what}: a visible outline or box-shadow`).toBe(true);
      return;
    }
    seen.push(`${now.tag} « ${now.label || now.text.slice(0, 60)} »`);
  }
  throw new Error(`${what} not reached with ${key} after ${max} presses; focus went through:\n${seen.join('\n')}`);
}

/** Elements that stick out of a 320 px wide window (WCAG 1.4.10), but for the tables that scroll in their own box. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-scroll'))
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).replace(/ /g, '.')}` : ''} « ${(el.textContent ?? '').replace(/\s+/g, ' ').slice(0, 50)} » ends at ${Math.round(el.getBoundingClientRect().right)}px`)
      .slice(0, 10);
  });
}

describe('accessibility in Chromium (axe-core, WCAG 2.1 A/AA; keyboard; French)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.close();
    if (tally.size) console.log(`axe-core violations by rule: ${[...tally].map(([id, n]) => `${id}: ${n}`).join(', ')}`);
  });

  it('the sign-in page is in French and has no violation', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage({ bypassCSP: true });
    await page.goto(`${e2e.baseUrl}/#/`);
    await page.getByRole('button', { name: demoIdentity('claire').label, exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    // the browser asks for French (locale fr-FR); its own strings are checked on the deposit form's file input
    expect(await page.evaluate(() => navigator.language)).toBe('fr-FR');
    await expectAccessible(page, 'sign-in page');
    // the check can fail: a nameless button put in the page is reported
    await page.evaluate(() => document.querySelector('main')!.append(Object.assign(document.createElement('button'), { id: 'nameless' })));
    expect((await violations(page)).map((v) => v.id)).toContain('button-name');
  });

  for (const [identity, heading] of [
    ['claire', 'Mon DMP'],
    ['lucas-mother', 'DMP de Lucas Moreau'],
  ] as const) {
    it(`every « Mon DMP » tab as ${identity} has no violation`, { timeout: 180_000 }, async () => {
      const page = await e2e.newPage({ bypassCSP: true });
      await signIn(page, e2e.baseUrl, identity);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      for (const tab of TABS) {
        await page.getByRole('navigation', { name: 'Rubriques du DMP' }).getByRole('link', { name: tab, exact: true }).click();
        await page.getByRole('heading', { name: tab, level: 2 }).waitFor();
        // WCAG 2.4.2: the window's title names the tab
        expect(await page.title()).toBe(`${tab} · ${heading} · DMP`);
        await settled(page);
        if (tab === 'Documents') {
          // one document opened in the page too
          const first = page.locator('li.document').first();
          await first.getByRole('button', { name: /^Ouvrir/ }).click();
          await first.locator('.viewer').waitFor();
        }
        if (tab === 'Historique des accès') await page.locator('ol.timeline > li').first().waitFor();
        await expectAccessible(page, `${identity}, tab « ${tab} »`);
      }
    });
  }

  it('the professional space with a patient loaded and a document opened has no violation', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage({ bypassCSP: true });
    await signIn(page, e2e.baseUrl, 'gp');
    await searchPatient(page, CLAIRE_INS);
    await page.getByRole('heading', { name: 'Dossier de Claire MOREAU' }).waitFor();
    await documentsLoaded(page);
    await page.getByRole('button', { name: 'Ouvrir « Volet de synthèse médicale »' }).click();
    await page.getByLabel('Contenu de « Volet de synthèse médicale »').waitFor();
    await expectAccessible(page, 'professional (gp) on Claire');
    // keyboard: the opened document has the focus; closing it gives the focus back to its « Ouvrir » button
    expect((await focused(page)).text).toBe('Document ouvert : Volet de synthèse médicale');
    await tabTo(page, (f) => f.text === 'Fermer le document', '« Fermer le document »');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).label).toBe('Ouvrir « Volet de synthèse médicale »');
  });

  it('the break-glass request and the break-glass banner have no violation', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage({ bypassCSP: true });
    await signIn(page, e2e.baseUrl, 'emergency');
    await searchPatient(page, LUCAS_INS);
    await page.getByRole('heading', { name: 'Dossier de Lucas MOREAU' }).waitFor();
    await documentsLoaded(page);
    await page.getByRole('button', { name: 'Accès en urgence (bris de glace)', exact: true }).click();
    await page.getByRole('button', { name: 'Confirmer l’accès en urgence' }).click();
    await page.getByRole('alert').filter({ hasText: 'indiquez le motif' }).waitFor();
    await expectAccessible(page, 'break-glass request with its error');
    await page.getByLabel("Motif de l'accès en urgence").fill('Patient inconscient admis aux urgences');
    await page.getByRole('button', { name: 'Confirmer l’accès en urgence' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('section.break-glass-banner').waitFor();
    // the form is gone with its button: the focus goes to the banner's heading
    await expect.poll(async () => (await focused(page)).text).toBe('Bris de glace en cours : accès en urgence actif');
    await page.locator('li.document', { hasText: 'Consultation — angine' }).waitFor();
    await expectAccessible(page, 'break-glass banner');
  });

  it('the delegate’s deposit form has no violation, nor its readable error', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage({ bypassCSP: true });
    await signIn(page, e2e.baseUrl, 'delegate');
    await page.getByRole('heading', { name: 'Déposer un document' }).waitFor();
    await expectAccessible(page, 'delegate deposit form');
    // Chromium's own strings are French too: the file input says so to assistive technologies
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const fileInput = nodes.find((n) => n.role?.value === 'button' && n.name?.value === 'Fichier');
    const l10n = existsSync('/usr/lib/chromium/locales/fr.pak') ? '' : ' (Chromium’s French strings are missing: `apt-get install chromium-l10n`)';
    expect(fileInput?.value?.value, `the file input's own text${l10n}`).toBe('Aucun fichier choisi');
    await page.getByRole('button', { name: 'Déposer', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'indiquez l’identifiant du patient' }).waitFor();
    await expectAccessible(page, 'delegate deposit form with its error');
  });

  it('the rules explorer (matrix and $access answer) has no violation', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage({ bypassCSP: true });
    await signIn(page, e2e.baseUrl, 'admin');
    await page.getByRole('grid').waitFor();
    await expectAccessible(page, 'rules explorer, matrix');
    await page.getByLabel('Identifiant du document (DocumentReference)').fill('demo-claire-psychiatry');
    await page.getByRole('button', { name: 'Qui peut voir ce document ?' }).click();
    await page.locator('table.access-report').waitFor();
    await expectAccessible(page, 'rules explorer, $access answer');
    await page.getByLabel('Identifiant du document (DocumentReference)').fill('inconnu');
    await page.getByRole('button', { name: 'Qui peut voir ce document ?' }).click();
    const missing = page.getByRole('alert').filter({ hasText: 'Erreur 404' });
    await missing.waitFor();
    // WCAG 3.1.2: the server's English diagnostics are marked as such within the French message
    expect(await missing.locator('[lang="en"]').textContent()).toContain('is not known');
    await expectAccessible(page, 'rules explorer, 404 answer');
  });

  it('other states have no violation: a closed DMP and its refusal, the regulator’s notice, nothing found, an unknown address', { timeout: 120_000 }, async () => {
    const page = await e2e.newPage({ bypassCSP: true });
    await signIn(page, e2e.baseUrl, 'marc');
    await page.getByRole('status').filter({ hasText: 'Ce DMP est fermé depuis le' }).waitFor();
    const row = page.locator('li.document', { hasText: 'Consultation' }).first();
    await row.getByRole('button', { name: 'Masquer aux professionnels' }).click();
    await row.getByRole('alert').filter({ hasText: 'Erreur 409' }).waitFor();
    await expectAccessible(page, 'closed DMP with a refusal');

    await signIn(page, e2e.baseUrl, 'regulator');
    await page.getByRole('heading', { name: 'Accès du médecin régulateur SAMU-Centre 15' }).waitFor();
    await searchPatient(page, '123');
    await page.getByRole('alert').filter({ hasText: 'un INS compte 15 chiffres' }).waitFor();
    await expectAccessible(page, 'regulator with a mistyped INS');

    await signIn(page, e2e.baseUrl, 'blocked');
    await searchPatient(page, CLAIRE_INS);
    await page.getByText(`Aucun patient accessible pour l’INS ${CLAIRE_INS}`).waitFor();
    await expectAccessible(page, 'blocked professional, nothing found');

    await page.goto(`${e2e.baseUrl}/#/nulle-part`);
    await page.getByRole('heading', { name: 'Page introuvable', level: 1 }).waitFor();
    await expectAccessible(page, 'unknown address');
  });

  it('reflows at 320 CSS px without scrolling sideways (WCAG 1.4.10)', { timeout: 180_000 }, async () => {
    const page = await e2e.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    const check = async (view: string) => expect.soft(await overflowing(page), `${view} at 320 px`).toEqual([]);
    await page.goto(`${e2e.baseUrl}/#/`);
    await page.getByRole('button', { name: demoIdentity('claire').label, exact: true }).waitFor();
    await check('sign-in page');
    await signIn(page, e2e.baseUrl, 'claire');
    for (const tab of TABS) {
      await page.getByRole('navigation', { name: 'Rubriques du DMP' }).getByRole('link', { name: tab, exact: true }).click();
      await page.getByRole('heading', { name: tab, level: 2 }).waitFor();
      await settled(page);
      await check(`claire, tab « ${tab} »`);
    }
    await signIn(page, e2e.baseUrl, 'gp');
    await searchPatient(page, CLAIRE_INS);
    await documentsLoaded(page);
    await check('professional (gp) on Claire');
    await signIn(page, e2e.baseUrl, 'admin');
    await page.getByRole('grid').waitFor();
    await check('rules explorer');
  });

  it('signs in, masks and unmasks a document and switches tabs with the keyboard alone, the focus always visible', { timeout: 180_000 }, async () => {
    const page = await e2e.newPage({ bypassCSP: true });
    const label = demoIdentity('claire').label;
    await page.goto(`${e2e.baseUrl}/#/`);
    await page.getByRole('button', { name: label, exact: true }).waitFor();
    // the first Tab reaches the skip link, made visible when focused; it leads past the header to the page's content
    await tabTo(page, (f) => f.text === 'Aller au contenu', 'skip link');
    expect(await page.getByRole('link', { name: 'Aller au contenu' }).isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    await page.keyboard.press('Tab');
    expect((await focused(page)).label).toBe("Jeton d'accès (token)");
    await tabTo(page, (f) => f.text === label, `« ${label} »`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Mon DMP', level: 1 }).waitFor();
    await expect.poll(() => page.url()).toContain('#/mon-dmp');
    // the control used went with the sign-in page: the focus goes to the new page's title, not lost on <body>
    await expect.poll(async () => (await focused(page)).tag).toBe('h1');

    const title = 'Consultation de suivi';
    const row = page.getByRole('listitem').filter({ has: page.getByText(title, { exact: true }) });
    await row.waitFor();
    // mask with Space…
    await tabTo(page, (f) => f.text.startsWith('Ouvrir') && f.text.includes(title), `« Ouvrir » of « ${title} »`);
    await tabTo(page, (f) => f.text === 'Masquer aux professionnels', '« Masquer aux professionnels »');
    // the list is read again slowly: pressed twice, the second press is not sent with the version the first one replaced
    const slowList = /\/fhir\/DocumentReference\?/;
    await page.route(slowList, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.fallback();
    });
    const put = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/fhir/DocumentReference/'));
    await page.keyboard.press('Space');
    expect((await put).status()).toBe(200);
    await page.keyboard.press('Space');
    await row.getByText('Masqué aux professionnels', { exact: true }).waitFor();
    await page.unroute(slowList);
    expect(await row.getByRole('alert').allTextContents(), 'no refusal of the change').toEqual([]);
    // …the focus stays on the same control, now « Ne plus masquer »: unmask with Enter
    await expect.poll(async () => (await focused(page)).text).toBe('Ne plus masquer');
    expect((await focused(page)).ring).toBe(true);
    await page.keyboard.press('Enter');
    await row.getByText('Masqué aux professionnels', { exact: true }).waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(page)).text).toBe('Masquer aux professionnels');

    // back with Shift+Tab to the document's « Ouvrir », open it with Enter
    await tabTo(page, (f) => f.text.startsWith('Ouvrir'), '« Ouvrir » backwards', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await row.locator('.viewer').waitFor();
    expect(await row.getByRole('button', { name: /^Fermer/ }).getAttribute('aria-expanded')).toBe('true');

    // switch tabs: from the document, Shift+Tab back to the « Proches et volontés » link, Enter
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Proches et volontés', 'tab « Proches et volontés »', 'Shift+Tab', 200);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Proches et volontés', level: 2 }).waitFor();
    expect(await page.getByRole('link', { name: 'Proches et volontés' }).getAttribute('aria-current')).toBe('page');
    // a select operated with the arrow keys
    await tabTo(page, (f) => f.tag === 'select' && f.label === 'Rôle', 'the « Rôle » select');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Rôle', { exact: true }).inputValue()).toBe('trusted');

    // the opposition to emergency access, toggled with Space and back: the focus stays on it while it is saved
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Autorisations', 'tab « Autorisations »', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Autorisations', level: 2 }).waitFor();
    const opposition = page.getByLabel(/Je m’oppose à l’accès en urgence/);
    await tabTo(page, (f) => f.tag === 'input' && f.label.startsWith('Je m’oppose'), 'the opposition checkbox', 'Tab', 120);
    // the Consent is read back slowly: the second change, made meanwhile, builds on the version the first one wrote
    await page.route(/\/fhir\/Consent\?/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.fallback();
    });
    for (const checked of [true, false]) {
      await page.keyboard.press('Space');
      await page.getByRole('status').filter({ hasText: 'Vos choix sont enregistrés' }).or(page.getByRole('alert')).first().waitFor();
      expect(await page.getByRole('alert').allTextContents(), 'no refusal of the change').toEqual([]);
      await expect.poll(() => opposition.getAttribute('aria-disabled')).toBe('false');
      expect(await opposition.isChecked()).toBe(checked);
      expect((await focused(page)).label).toMatch(/^Je m’oppose/);
    }

    // the « Historique des accès » tab, then its checkbox toggled with Space
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Historique des accès', 'tab « Historique des accès »', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Historique des accès', level: 2 }).waitFor();
    await tabTo(page, (f) => f.tag === 'input' && f.text === '' && f.label.startsWith('Afficher aussi mes propres actions'), 'the « mes propres actions » checkbox');
    await page.keyboard.press('Space');
    expect(await page.getByLabel('Afficher aussi mes propres actions').isChecked()).toBe(true);
    await e2e.screenshot(page, 'a11y-keyboard-history');

    // sign out from the keyboard
    await tabTo(page, (f) => f.text === 'Se déconnecter', '« Se déconnecter »', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Se connecter', exact: true }).waitFor();
  });
});
