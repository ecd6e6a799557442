import { MASKED_TO_PROFESSIONALS, TRE_A03, TRE_A05, VISIBILITY_SYSTEM } from '../fhir/codes.js';

export interface NewDocument {
  holder: string;
  /** TRE_A05 type: `DOCPAT01` personal document, `EXPPAT_3` advance directives, `EXPPAT_1` wishes and organ donation. */
  typeCode: string;
  typeDisplay: string;
  title: string;
  contentType: string;
  /** Base64 bytes. */
  data: string;
  masked?: boolean;
}

/**
 * R7.2, DMP-RULES section 12 "Personal space": a document the holder (or rep) writes, of class
 * `90` (documents du patient). The server names the caller as its author.
 */
export function holderDocument(spec: NewDocument): fhir4.DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: TRE_A05, code: spec.typeCode, display: spec.typeDisplay }] },
    category: [{ coding: [{ system: TRE_A03, code: '90', display: 'Documents du patient' }] }],
    subject: { reference: spec.holder },
    date: new Date().toISOString(),
    description: spec.title,
    ...(spec.masked ? { securityLabel: [{ coding: [{ system: VISIBILITY_SYSTEM, code: MASKED_TO_PROFESSIONALS }] }] } : {}),
    content: [{ attachment: { contentType: spec.contentType, language: 'fr-FR', title: spec.title, data: spec.data, creation: new Date().toISOString() } }],
  };
}

export function textToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
