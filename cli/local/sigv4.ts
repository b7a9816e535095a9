/**
 * Checks an AWS Signature Version 4 (the `Authorization: AWS4-HMAC-SHA256 …` header every AWS
 * SDK sends) against one access key, as SQS does: the key id, the service, the time, and the
 * signature over the method, path, query, signed headers and body.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 *
 * The body is hashed as received, never taken on a client's word (x-amz-content-sha256 must
 * agree, and UNSIGNED-PAYLOAD is refused). Cost: two SHA-256 (body, canonical request) and one
 * HMAC per request; the signing key (four HMACs) is kept per day, region and service.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessKey } from '../endpoint/credentials.js';

/** What a request carries that the signature covers. Header names in lower case, as Node gives them. */
export type SignedRequest = {
  method: string;
  /** Path and query, as received: `/`, `/?a=b`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

/** Why a request was refused: an SQS error code (the SDK's error name), its HTTP status, a message. */
export type Refusal = { code: string; status: number; message: string };

/** Requests signed more than this far from our clock are refused, as AWS does. */
const MAX_SKEW_MS = 15 * 60_000;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;

export class SigV4Verifier {
  readonly #key: AccessKey;
  readonly #service: string;
  readonly #signingKeys = new Map<string, Buffer>();

  constructor(key: AccessKey, service = 'sqs') {
    this.#key = key;
    this.#service = service;
  }

  /** Undefined when the request is signed with our key; otherwise why not. */
  verify(request: SignedRequest, now = Date.now()): Refusal | undefined {
    const authorization = header(request.headers, 'authorization');
    if (!authorization) return refuse('MissingAuthenticationToken', 'the request is not signed: sign it (AWS Signature Version 4) with the key in the local.json of this fanout local');
    const parts = AUTHORIZATION.exec(authorization);
    if (!parts) return refuse('IncompleteSignature', 'the Authorization header is not an AWS4-HMAC-SHA256 signature', 400);
    const [, accessKeyId, day, region, service, signedHeaders, signature] = parts as unknown as string[];
    if (accessKeyId !== this.#key.accessKeyId) return refuse('InvalidClientTokenId', `the access key ${accessKeyId} is not this server's: use the key in the local.json of this fanout local`);
    if (service !== this.#service) return refuse('InvalidClientTokenId', `this server answers ${this.#service} only (the request is signed for ${service})`);
    const amzDate = header(request.headers, 'x-amz-date') ?? '';
    const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (!amzDate.startsWith(day!) || Number.isNaN(signedAt)) return refuse('IncompleteSignature', 'X-Amz-Date is missing or does not match the credential scope', 400);
    if (Math.abs(now - signedAt) > MAX_SKEW_MS) return refuse('SignatureDoesNotMatch', `signature expired: signed at ${amzDate}, more than 15 minutes from this server's clock`);
    const names = signedHeaders!.split(';');
    if (!names.includes('host')) return refuse('IncompleteSignature', 'the signature does not cover the Host header', 400);

    // The body as received, always: a client's x-amz-content-sha256 must agree with it.
    const payloadHash = sha256(request.body);
    const declared = header(request.headers, 'x-amz-content-sha256');
    if (declared !== undefined && declared !== payloadHash) return refuse('SignatureDoesNotMatch', 'the body does not match its x-amz-content-sha256');
    const [path = '/', query = ''] = request.url.split('?', 2) as [string, string?];
    const canonicalRequest = [
      request.method.toUpperCase(),
      canonicalPath(path),
      canonicalQuery(query),
      names.map((name) => `${name}:${canonicalValue(own(request.headers, name))}\n`).join(''),
      signedHeaders,
      payloadHash,
    ].join('\n');
    const scope = `${day}/${region}/${service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonicalRequest)}`;
    const expected = createHmac('sha256', this.#signingKey(day!, region!, service!)).update(stringToSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature!, 'hex'))) {
      return refuse('SignatureDoesNotMatch', 'the request signature does not match: is the secret key the one in local.json?');
    }
    return undefined;
  }

  #signingKey(day: string, region: string, service: string): Buffer {
    const id = `${day}/${region}/${service}`;
    let key = this.#signingKeys.get(id);
    if (!key) {
      const hmac = (k: string | Buffer, data: string) => createHmac('sha256', k).update(data).digest();
      key = hmac(hmac(hmac(hmac(`AWS4${this.#key.secretAccessKey}`, day), region), service), 'aws4_request');
      if (this.#signingKeys.size > 16) this.#signingKeys.clear();
      this.#signingKeys.set(id, key);
    }
    return key;
  }
}

function refuse(code: string, message: string, status = 403): Refusal {
  return { code, status, message };
}

/** A header's value: own keys only (a signed "constructor" or "__proto__" is a header the request lacks, not Object's). */
function own(headers: SignedRequest['headers'], name: string): string | string[] | undefined {
  return Object.hasOwn(headers, name) ? headers[name] : undefined;
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = own(headers, name);
  return Array.isArray(value) ? value.join(',') : value;
}

function canonicalValue(value: string | string[] | undefined): string {
  const values = Array.isArray(value) ? value : [value ?? ''];
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding, as SigV4 wants it. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path as the SDKs sign it for every service but S3: normalised, each segment encoded twice. */
function canonicalPath(raw: string): string {
  const segments: string[] = [];
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(encode(encode(safeDecode(segment))));
  }
  const trailing = segments.length > 0 && raw.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

function canonicalQuery(raw: string): string {
  if (!raw) return '';
  return raw
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=', 2) as [string, string?];
      return [encode(safeDecode(name.replace(/\+/g, ' '))), encode(safeDecode(value.replace(/\+/g, ' ')))] as const;
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
