import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FhirError } from '../api.js';
import { ErrorMessage } from './ErrorMessage.js';

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"');

describe('ErrorMessage', () => {
  it('explains a 422 of the API in French with its diagnostics, issue type and rule code', () => {
    // the OperationOutcome the server answers when reimbursement data are masked (R8.6)
    const outcome: fhir4.OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'processing',
          details: { coding: [{ system: 'https://dmp-fhir-server.example/CodeSystem/error', code: 'REIMBURSEMENT_NOT_MASKABLE' }] },
          diagnostics: 'reimbursement data can never be masked (R8.6)',
        },
      ],
    };
    const html = renderToStaticMarkup(<ErrorMessage error={new FhirError(422, outcome)} />);
    expect(html).toContain('role="alert"');
    // the server's diagnostics are English within the French page (WCAG 3.1.2)
    expect(html).toContain('<span lang="en">reimbursement data can never be masked (R8.6)</span>');
    expect(text(html)).toContain('Erreur 422 : Modification refusée par les règles du DMP.');
    expect(text(html)).toContain('reimbursement data can never be masked (R8.6) (code : processing, REIMBURSEMENT_NOT_MASKABLE)');
  });

  it('says what a status means when the server sent no OperationOutcome', () => {
    expect(text(renderToStaticMarkup(<ErrorMessage error={new FhirError(503)} />))).toContain('Erreur 503 : Service momentanément indisponible.');
    expect(text(renderToStaticMarkup(<ErrorMessage error={new FhirError(0, undefined, 'le serveur est injoignable (Failed to fetch)')} />))).toContain(
      'le serveur est injoignable (Failed to fetch)',
    );
  });

  it('shows any other error by its message, and nothing without an error', () => {
    expect(text(renderToStaticMarkup(<ErrorMessage error={new Error('donnez un titre au document')} />))).toBe('Erreur : donnez un titre au document');
    expect(renderToStaticMarkup(<ErrorMessage error={undefined} />)).toBe('');
  });
});
