/**
 * A mosquitto ACL file for gateways that log in with their certificate's CN as username
 * (`use_identity_as_username true`): each gateway may publish only its own batch, alert, status
 * and cmd-result topics and read only its own commands. Topics come from topicsFor(), the one
 * place the scheme kerb/v1/<site>/<gateway>/... is written down.
 *
 * Explicit `user` blocks rather than one `pattern ... %u` line: the username is the gateway id,
 * but the topic also holds the site, which a pattern cannot know.
 */
import { topicsFor } from '../../gateway/uplink/topics.js';

export interface AclEntries {
  gateways: Array<{ site: string; gateway: string }>;
  /** Usernames that may read everything under kerb/ (dashboards, `kerb tail`). */
  monitors?: string[];
  /** Usernames that may also send commands to any gateway and read their results. */
  operators?: string[];
}

export function mosquittoAcl(e: AclEntries): string {
  const lines = ['# kerb: one block per gateway (username = certificate CN = gateway id)', ''];
  for (const { site, gateway } of e.gateways) {
    const t = topicsFor(site, gateway);
    lines.push(`user ${gateway}`);
    for (const topic of [t.batch, t.alert, t.status, t.cmdResult]) lines.push(`topic write ${topic}`);
    lines.push(`topic read ${t.cmd('#')}`, '');
  }
  for (const user of e.monitors ?? []) lines.push(`user ${user}`, 'topic read kerb/#', '');
  for (const user of e.operators ?? []) lines.push(`user ${user}`, 'topic read kerb/#', 'topic write kerb/v1/+/+/cmd/#', '');
  return lines.join('\n');
}
