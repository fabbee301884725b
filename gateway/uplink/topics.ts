/** The topic scheme: kerb/v1/<site>/<gateway>/{batch,alert,status,cmd/<device>,cmd-result}. */
export interface Topics {
  prefix: string;
  batch: string;
  alert: string;
  status: string;
  cmdResult: string;
  cmd(device: string): string;
}

/** The same rule as the site schema's ids (device-profiles/schema/site.schema.json). */
const SEGMENT = /^[a-z0-9-]+$/;

export function topicsFor(site: string, gateway: string): Topics {
  for (const [what, value] of [['site', site], ['gateway', gateway]] as const) {
    if (!SEGMENT.test(value)) throw new Error(`${what} '${value}' cannot be a topic segment: use lower-case letters, digits and '-'`);
  }
  const prefix = `kerb/v1/${site}/${gateway}`;
  return {
    prefix,
    batch: `${prefix}/batch`,
    alert: `${prefix}/alert`,
    status: `${prefix}/status`,
    cmdResult: `${prefix}/cmd-result`,
    cmd: (device) => `${prefix}/cmd/${device}`,
  };
}
