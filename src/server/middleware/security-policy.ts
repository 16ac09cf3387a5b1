import { createHash, timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';

// Which Host and Origin headers this server answers, and its key. Built once at start and again
// when the allowed lists change, so a request costs only set look-ups.

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** `example.com:8080` → `example.com`; `[::1]:8080` → `::1`. Lower case. */
export function hostnameOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') > 0 ? host.indexOf(']') : undefined);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

export interface SecurityPolicyOptions {
  host: string;
  secretKey: string | null;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

export class SecurityPolicy {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  private readonly keyDigest: Buffer | null;

  constructor(readonly options: SecurityPolicyOptions) {
    this.hosts = new Set([...LOOPBACK_NAMES, ...options.allowedHosts.map((h) => hostnameOf(h))]);
    if (isWildcardHost(options.host)) {
      // Bound to every interface: the machine's own names and addresses are legitimate Hosts.
      // Such a server always has a key, which is what stops a rebinding page from using it.
      this.hosts.add(hostname().toLowerCase());
      for (const addresses of Object.values(networkInterfaces())) {
        for (const address of addresses ?? []) this.hosts.add(address.address.toLowerCase());
      }
    } else {
      this.hosts.add(hostnameOf(options.host));
    }
    this.origins = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase()));
    this.keyDigest = options.secretKey ? digest(options.secretKey) : null;
  }

  get requiresKey(): boolean {
    return this.keyDigest !== null;
  }

  allowsHost(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false;
    const name = hostnameOf(hostHeader);
    return this.hosts.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
  }

  /** Same origin as the Host the request came to, or one of the configured cross origins. */
  allowsOrigin(origin: string, hostHeader: string | undefined): boolean {
    const lower = origin.toLowerCase();
    if (this.origins.has(lower)) return true;
    if (!hostHeader) return false;
    const host = hostHeader.toLowerCase();
    return lower === `http://${host}` || lower === `https://${host}`;
  }

  isCrossOriginAllowed(origin: string): boolean {
    return this.origins.has(origin.toLowerCase());
  }

  /** Constant time: both sides are hashed to equal length before comparing. */
  acceptsKey(presented: string | undefined): boolean {
    if (!this.keyDigest) return true;
    if (!presented) return false;
    return timingSafeEqual(digest(presented), this.keyDigest);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
