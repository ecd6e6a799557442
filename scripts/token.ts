/**
 * `npm run -s token -- --role <role> [options]`: prints a development token, and only that, on
 * stdout (D1), signed with the key of the same DATA_DIR as the server. Errors go to stderr, exit 1.
 * Integrators' scripts rely on this interface: keep option names stable.
 */
import { parseArgs } from 'node:util';
import { TokenRequestError, mintDevToken, tokenOptionsFrom } from '../src/access/dev-token.js';
import { ConfigError, loadConfig } from '../src/config.js';

const USAGE = `usage: npm run -s token -- --role <role> [--sub ID] [--fhir-user REF] [--rpps N]
         [--profession CODE] [--specialty CODE] [--organization FINESS]
         [--purpose TREAT|ETREAT|BTG] [--scope "..."] [--expires-in 1h]

roles: professional, delegate, regulator, reception, insurer-agent, insurer-feed,
       patient, legal-representative, admin
professional, regulator and delegate need --rpps (11 digits) and --profession (TRE_G15);
professionals and regulators of profession 10 or 21 also need --specialty (TRE_R38).
patient needs --fhir-user Patient/<id>; legal-representative --fhir-user RelatedPerson/<id>.`;

const text = { type: 'string' } as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: text,
      sub: text,
      'fhir-user': text,
      rpps: text,
      profession: text,
      specialty: text,
      organization: text,
      purpose: text,
      scope: text,
      'expires-in': text,
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { help: _help, ...options } = values;
  const token = await mintDevToken(loadConfig(), tokenOptionsFrom(options));
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => {
  const known = err instanceof TokenRequestError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`token: ${err instanceof Error ? err.message : String(err)}\n`);
  if (known) process.stderr.write(`${USAGE}\n`);
  process.exit(1);
});
