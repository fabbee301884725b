/**
 * A small certificate authority for a lab or a test broker (`kerb ca`): one directory holding
 * the CA's key and certificate and openssl's record of what it issued, and per-gateway client
 * certificates whose CN is the gateway id (mosquitto's `use_identity_as_username` makes it the
 * MQTT username, which the ACL names). Keys are EC P-256, made by Node and written with mode
 * 0600; certificates are made by `openssl req` and `openssl ca` (openssl.ts).
 *
 * DIR/ca.key, DIR/ca.crt       the CA (ca.key never leaves the lab machine)
 * DIR/openssl.cnf, index.txt   openssl's CA configuration and its list of issued certificates
 * DIR/issued/                  a copy of every certificate issued, by serial number
 * DIR/<id>.key, DIR/<id>.crt   a gateway's (or monitor's) client certificate, unless --out says
 * DIR/server.key, server.crt   the broker's certificate, unless --out says
 *
 * This is for labs and tests. A city runs its own PKI; the gateway only needs PEM files.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CaError, openssl } from './openssl.js';
import { writeFileAtomically } from '../../gateway/state/durable-file.js';

export interface IssuedCert {
  cert: string;
  key: string;
  subject: string;
  notBefore: string;
  notAfter: string;
}

export interface CaCommon {
  dir: string;
  /** The openssl binary; default `openssl` on the PATH. */
  openssl?: string;
  /** Replace existing files. */
  force?: boolean;
}

const DAY_MS = 86_400_000;
/** Certificates start an hour back, so a broker whose clock is a little behind accepts them. */
const BACKDATE_MS = 3_600_000;
/** Gateway ids are topic segments and MQTT usernames: the site schema's id rule. */
const NAME = /^[a-z0-9-]{1,64}$/;
const HOST = /^[A-Za-z0-9.-]{1,253}$/;

const CONFIG = `# kerb lab CA: written by kerb ca init; used by openssl ca with this directory as its working directory
[ ca ]
default_ca = kerb_ca

[ kerb_ca ]
dir = .
certificate = $dir/ca.crt
private_key = $dir/ca.key
database = $dir/index.txt
new_certs_dir = $dir/issued
rand_serial = yes
default_md = sha256
policy = kerb_policy
unique_subject = no
copy_extensions = none

[ kerb_policy ]
commonName = supplied

[ req ]
distinguished_name = req_dn
prompt = no

[ req_dn ]
CN = unused

[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

const CLIENT_EXT = `[ ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

function serverExt(hosts: string[]): string {
  const san = hosts.map((h) => (net.isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  return `[ ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${san}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;
}

function refuseExisting(files: string[], force: boolean | undefined, what: string): void {
  const existing = files.filter((f) => fs.existsSync(f));
  if (existing.length > 0 && !force) {
    throw new CaError(what === 'CA' ? 'E_CA_EXISTS' : 'E_CERT_EXISTS',
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; ${what === 'CA'
        ? 'a new CA invalidates every certificate the old one issued. Choose another --dir, or pass --force'
        : 'choose another --out, or pass --force to replace it'}`);
  }
}

function newKey(file: string): void {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  fs.rmSync(file, { force: true });
  writeFileAtomically(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
}

/** openssl's GeneralizedTime: YYYYMMDDHHMMSSZ. */
function asn1Time(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

function describe(cert: string, key: string): IssuedCert {
  const x = new X509Certificate(fs.readFileSync(cert));
  return { cert, key, subject: x.subject.replace(/\n/g, ', '), notBefore: new Date(x.validFrom).toISOString(), notAfter: new Date(x.validTo).toISOString() };
}

function requireCa(dir: string): void {
  for (const f of ['ca.crt', 'ca.key', 'openssl.cnf', 'index.txt']) {
    if (!fs.existsSync(path.join(dir, f))) throw new CaError('E_CA_MISSING', `${dir} is not a kerb lab CA (no ${f}); make one with: kerb ca init --dir ${dir}`);
  }
}

/** `kerb ca init`: the CA key and its self-signed certificate, valid `days` (default 3650). */
export function initCa(o: CaCommon & { name?: string; days?: number }): IssuedCert {
  const dir = path.resolve(o.dir);
  const cert = path.join(dir, 'ca.crt');
  const key = path.join(dir, 'ca.key');
  refuseExisting([key, cert], o.force, 'CA');
  openssl(['version'], process.cwd(), o.openssl); // before anything is written
  fs.mkdirSync(path.join(dir, 'issued'), { recursive: true, mode: 0o700 });
  writeFileAtomically(path.join(dir, 'openssl.cnf'), CONFIG, 0o644);
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  newKey(key);
  const name = o.name ?? `Kerb lab CA (${path.basename(dir)})`;
  if (!/^[\w .()-]{1,64}$/.test(name)) throw new CaError('E_BAD_NAME', `--name '${name}' may hold letters, digits, spaces and . ( ) - only`);
  openssl(['req', '-config', 'openssl.cnf', '-x509', '-new', '-key', 'ca.key', '-subj', `/CN=${name}`, '-days', String(o.days ?? 3650),
    '-extensions', 'v3_ca', '-out', 'ca.crt'], dir, o.openssl);
  return describe(cert, key);
}

interface IssueOptions extends CaCommon {
  cn: string;
  ext: string;
  out: string;
  days?: number;
  /** Wall ms the certificate starts; default an hour ago. A past date with few days makes an expired one (tests). */
  notBefore?: number;
}

function issue(o: IssueOptions): IssuedCert {
  const dir = path.resolve(o.dir);
  requireCa(dir);
  const days = o.days ?? 365;
  if (!(days > 0)) throw new CaError('E_BAD_VALIDITY', `--days must be > 0, got ${days}`);
  const start = o.notBefore ?? Date.now() - BACKDATE_MS;
  if (!Number.isFinite(start)) throw new CaError('E_BAD_VALIDITY', 'the start date is not a date (expected e.g. 2025-01-31)');
  const base = path.resolve(o.out);
  const cert = `${base}.crt`;
  const key = `${base}.key`;
  refuseExisting([key, cert], o.force, 'certificate');
  fs.mkdirSync(path.dirname(base), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dir, '.issue-'));
  try {
    newKey(key);
    const csr = path.join(tmp, 'request.csr');
    const ext = path.join(tmp, 'ext.cnf');
    fs.writeFileSync(ext, o.ext);
    openssl(['req', '-config', 'openssl.cnf', '-new', '-key', key, '-subj', `/CN=${o.cn}`, '-out', csr], dir, o.openssl);
    openssl(['ca', '-batch', '-config', 'openssl.cnf', '-in', csr, '-out', cert, '-notext', '-extfile', ext, '-extensions', 'ext',
      '-startdate', asn1Time(start), '-enddate', asn1Time(start + days * DAY_MS)], dir, o.openssl);
  } catch (err) {
    fs.rmSync(key, { force: true });
    throw err;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return describe(cert, key);
}

/** `kerb ca issue`: a client certificate for TLS client authentication whose CN is `cn`. */
export function issueClient(o: CaCommon & { cn: string; days?: number; notBefore?: number; out?: string }): IssuedCert {
  if (!NAME.test(o.cn)) throw new CaError('E_BAD_NAME', `'${o.cn}' cannot be a gateway id or MQTT username: use lower-case letters, digits and '-' (as in the site file)`);
  return issue({ ...o, ext: CLIENT_EXT, out: o.out ?? path.join(o.dir, o.cn) });
}

/** `kerb ca server`: the broker's certificate, naming `hosts` (DNS names or IP addresses) as subject alternative names. */
export function issueServer(o: CaCommon & { hosts: string[]; days?: number; notBefore?: number; out?: string }): IssuedCert {
  if (o.hosts.length === 0) throw new CaError('E_BAD_NAME', 'give at least one --host: the name (or address) gateways connect to');
  for (const h of o.hosts) if (!net.isIP(h) && !HOST.test(h)) throw new CaError('E_BAD_NAME', `--host '${h}' is neither a host name nor an IP address`);
  return issue({ ...o, cn: o.hosts[0]!, ext: serverExt(o.hosts), out: o.out ?? path.join(o.dir, 'server') });
}
