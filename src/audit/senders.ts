import type { Communication } from 'fhir/r4';

/**
 * Where notifications go. A sender resolves when the notification was handed over and throws when
 * it was not (the dispatcher then retries with backoff). The log sender is the default; the
 * webhook sender POSTs the Communication as JSON to `NOTIFY_WEBHOOK_URL` (read by config.ts and
 * passed in: nothing here reads the environment).
 */

export interface NotificationSender {
  readonly name: string;
  send(communication: Communication): Promise<void>;
}

/** The part of a pino/Fastify logger the audit module uses. */
export interface AuditLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const categoryOf = (c: Communication) => c.category?.[0]?.coding?.[0]?.code;

/** Writes each notification to the log, where an operator's pipeline may pick it up. */
export function logSender(logger: AuditLogger): NotificationSender {
  return {
    name: 'log',
    async send(communication) {
      logger.info(
        {
          notification: communication.id,
          category: categoryOf(communication),
          recipients: communication.recipient?.map((r) => r.reference),
          text: communication.payload?.[0]?.contentString,
        },
        'notification',
      );
    },
  };
}

export interface WebhookOptions {
  url: string;
  /** Per attempt; a slow receiver counts as a failure and is retried later. */
  timeoutMs?: number;
  /** Injectable for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export class WebhookError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** POSTs the Communication (`application/fhir+json`); any answer but 2xx is a failure. */
export function webhookSender(options: WebhookOptions): NotificationSender {
  const post = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: 'webhook',
    async send(communication) {
      let response: Response;
      try {
        response = await post(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json', 'x-notification-id': communication.id ?? '' },
          body: JSON.stringify(communication),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new WebhookError(`webhook unreachable: ${error instanceof Error ? error.message : String(error)}`);
      }
      // the body is not needed; reading it frees the connection
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new WebhookError(`webhook answered ${response.status}`, response.status);
    },
  };
}
