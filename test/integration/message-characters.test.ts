/**
 * SQS's rule for the characters of a message body, kept by every backend: #x9 | #xA | #xD | #x20 to
 * #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF accepted, and received exactly; anything else
 * refused (InvalidMessageContents). The embedded server once refused the last range (emoji).
 */
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { backendNames, useBackend } from '../helpers/backends.js';

const ACCEPTED = ['\t', '\n', '\r', ' ', '\uD7FF', '\uE000', '\uFFFD', '\u{10000}', '😀', '👍🏽', '\u{10FFFF}'];
const REFUSED = ['\u0000', '\u0008', '\u001F', '\uFFFE', '\uFFFF'];
const codePoints = (text: string) => [...text].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(' ');

describe.each(backendNames())('message bodies on %s', (name) => {
  const backend = useBackend(name);

  it('accepts every character SQS allows, from U+10000 up included, and gives each back exactly', async () => {
    // Prepare
    const target = await backend.target();
    const url = target.queues.finished.url;
    // Act
    for (const [i, c] of ACCEPTED.entries()) await target.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `${i}:${c}` }));
    const bodies: string[] = [];
    while (bodies.length < ACCEPTED.length) {
      const { Messages = [] } = await target.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...Messages.map((m) => m.Body!));
    }
    // Assess
    const byIndex = bodies.map((b) => [Number(b.slice(0, b.indexOf(':'))), b.slice(b.indexOf(':') + 1)] as const).sort((a, b) => a[0] - b[0]);
    expect(byIndex.map(([, c]) => codePoints(c))).toEqual(ACCEPTED.map(codePoints));
  });

  it.each(REFUSED.map((c) => [codePoints(c), c]))('fails if a body holds %s, as SQS does (InvalidMessageContents)', async (_, c) => {
    // Prepare
    const target = await backend.target();
    // Act / Assess
    await expect(target.sqs.send(new SendMessageCommand({ QueueUrl: target.queues.finished.url, MessageBody: `a${c}b` }))).rejects.toMatchObject({ name: expect.stringMatching(/InvalidMessageContents$/) });
  });

  it('fails if a body holds a lone surrogate', async () => {
    // Prepare
    const target = await backend.target();
    // Act / Assess: LocalStack 4.14.0 answers InternalError; the embedded server, as SQS, InvalidMessageContents.
    await expect(target.sqs.send(new SendMessageCommand({ QueueUrl: target.queues.finished.url, MessageBody: 'a\uD800b' }))).rejects.toThrow();
  });
});
