// How each command changes this replica: the same calls the routes made before there was a command stream, with the
// command's own time and author.
import type { TokenStore } from '../access/index.ts';
import { SYSTEM, type AlertEngine, type AlertEvent, type IncidentChange } from '../alerts/index.ts';
import type { SavedQueries } from '../query/saved.ts';
import type { Registry } from '../registry/index.ts';
import type { LiveViews } from '../views/live-views.ts';
import type { LiveRules } from '../alerts/live-rules.ts';
import type { OpenData } from '../open/index.ts';
import type { Apply } from './commands.ts';
import type { IncidentEvent } from '../../dashboards/shared/wire/index.ts';

export function applier(deps: {
  alerts: AlertEngine;
  saved: SavedQueries;
  tokens: TokenStore;
  registry: Registry;
  views: LiveViews;
  rules: LiveRules;
  open: OpenData;
  /** An alert changed: walls, the analysts' replica and forwarding hear of it. */
  alertChanged: (e: AlertEvent) => void;
  /**
   * An incident was opened, changed by a person or escalated: walls and consoles hear of it; `change` is what the
   * person changed (null when opened, escalated, or a checklist step ticked).
   */
  incidentChanged: (e: IncidentEvent, cause: { by: string; at: number; change: IncidentChange | null }) => void;
}): Apply {
  return async (cmd) => {
    switch (cmd.type) {
      case 'alert.acknowledge':
      case 'alert.resolve': {
        const verb = cmd.type === 'alert.acknowledge' ? 'acknowledge' : 'resolve';
        const event = await deps.alerts[verb](
          await deps.alerts.resolveId(cmd.id, cmd.key),
          cmd.by,
          cmd.comment,
          cmd.at,
        );
        deps.alertChanged(event);
        return event;
      }
      case 'incident.step': {
        const event: IncidentEvent = {
          type: 'changed',
          incident: await deps.alerts.checkStep(cmd.id, cmd.step, cmd.done, cmd.by, cmd.at),
        };
        deps.incidentChanged(event, { by: cmd.by, at: cmd.at, change: null });
        return event;
      }
      case 'incident.open': {
        const event: IncidentEvent = {
          type: 'opened',
          incident: await deps.alerts.openIncident(cmd.incident, cmd.by, cmd.at),
        };
        deps.incidentChanged(event, { by: cmd.by, at: cmd.at, change: null });
        return event;
      }
      case 'incident.change': {
        const event: IncidentEvent = {
          type: 'changed',
          incident: await deps.alerts.changeIncident(cmd.id, cmd.change, cmd.by, cmd.at),
        };
        deps.incidentChanged(event, { by: cmd.by, at: cmd.at, change: cmd.change });
        return event;
      }
      // Nothing escalated (acknowledged meanwhile, or escalated already): nobody hears of it.
      case 'alert.escalate': {
        const event = await deps.alerts.escalate(await deps.alerts.resolveId(cmd.id, cmd.key), cmd.afterMin, cmd.at);
        if (event) deps.alertChanged(event);
        return event;
      }
      case 'incident.escalate': {
        const incident = await deps.alerts.escalateIncident(cmd.id, cmd.afterMin, cmd.at);
        const event: IncidentEvent | null = incident && { type: 'escalated', incident };
        if (event) deps.incidentChanged(event, { by: SYSTEM, at: cmd.at, change: null });
        return event;
      }
      case 'query.put':
        return deps.saved.put(cmd.query, cmd.author, cmd.at);
      case 'query.delete':
        await deps.saved.remove(cmd.name);
        return { name: cmd.name, deleted: true };
      case 'token.create':
        deps.tokens.add({ name: cmd.name, role: cmd.role, hash: cmd.hash, createdAt: new Date(cmd.at).toISOString() });
        return { name: cmd.name, role: cmd.role };
      case 'devices.put':
        return { changed: await deps.registry.put(cmd.devices, cmd.by, cmd.at, { keep: cmd.keep }) };
      case 'device.delete':
        await deps.registry.remove(cmd.id);
        return { id: cmd.id, deleted: true };
      case 'view.put':
        return deps.views.put(cmd.text, cmd.by, cmd.at, cmd.replacing ?? undefined);
      case 'view.delete':
        await deps.views.remove(cmd.name, cmd.by, cmd.at);
        return { name: cmd.name, deleted: true };
      case 'rule.put':
        return deps.rules.put(cmd.text, cmd.by, cmd.at, cmd.replacing ?? undefined);
      case 'rule.delete':
        await deps.rules.remove(cmd.name, cmd.by, cmd.at);
        return { name: cmd.name, deleted: true };
      case 'open.put':
        return deps.open.put(cmd.dataset, cmd.by, cmd.at);
      case 'open.delete':
        await deps.open.remove(cmd.name, cmd.by, cmd.at);
        return { name: cmd.name, withdrawn: true };
      case 'token.revoke':
        deps.tokens.revoke(cmd.name, new Date(cmd.at));
        return { name: cmd.name, revoked: true };
    }
  };
}
