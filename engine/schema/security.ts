// Cyber-security events from the city's SIEM/SOC tools: an incident's lifecycle, as dossiers have theirs.
import { z } from 'zod';
import { base, Id, Timestamp } from './common.ts';

export const SECURITY_CATEGORIES = [
  'malware',
  'intrusion',
  'ddos',
  'phishing',
  'data_leak',
  'defacement',
  'vulnerability',
  'other',
] as const;
export const SECURITY_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const SECURITY_STATUSES = ['detected', 'confirmed', 'contained', 'resolved', 'false_positive'] as const;

export const securityShape = {
  ...base,
  incidentId: Id,
  // The agency whose system was hit: the 1 h / 4 h targets are counted per agency.
  agency: Id,
  assetId: Id,
  category: z.enum(SECURITY_CATEGORIES),
  severity: z.enum(SECURITY_SEVERITIES),
  status: z.enum(SECURITY_STATUSES),
  /** When the attack or fault began, as far as the tool knows: the hour to detect counts from it. */
  detectedAt: Timestamp.optional(),
  /** The tool that reported it; the topic names it too (city/security/<source>). */
  source: Id.optional(),
};

export const SecurityEvent = z.looseObject(securityShape);
export type SecurityEvent = z.infer<typeof SecurityEvent>;
