'use client';
import { Loading } from '../loadingScreen';
import { useCallback, useEffect, useState } from 'react';
import type { EditResponse, Service, StatusResponse, TemplateDescription } from '@tandem/core';
import { api, ApiError } from '../../lib/api';
import type { Value } from '../../lib/schemaValue';
import { ApplyPanel } from '../applyPanel';
import { Nav } from '../nav';
import { useLiveEntities } from '../liveServers';
import { Note } from '../note';
import { useSession } from '../useSession';
import { AdvancedEditor } from './advancedEditor';
import { useDiscovery } from './discoveredSlots';
import { ServiceCard, type ServerChange } from './serviceCard';
import { TemplateEditor } from './templateEditor';
import { PAGE_FRAME } from '../ui';

type Editor =
  | { kind: 'new'; template: TemplateDescription }
  | { kind: 'template'; template: TemplateDescription; service: string; params: Value }
  | { kind: 'advanced'; service: Service };

/** Services: the list with live server actions, edits, and new services from the templates. */
export default function ServicesPage() {
  const session = useSession();
  const [services, setServices] = useState<Service[] | null>(null);
  const [templates, setTemplates] = useState<TemplateDescription[]>([]);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [reveal, setReveal] = useState(0);
  const [status, setStatus] = useState<StatusResponse | null>(null);
  const live = useLiveEntities();
  const discovery = useDiscovery(
    services?.some((s) => s.backends.some((b) => b.serverTemplate?.dns)) ?? false,
  );

  const load = useCallback(async () => {
    const list = await api<{ name: string }[]>('GET', '/v1/services').catch(() => []);
    setServices(
      await Promise.all(
        list.map((s) => api<Service>('GET', `/v1/services/${encodeURIComponent(s.name)}`)),
      ),
    );
    setStatus(await api<StatusResponse>('GET', '/v1/status'));
  }, []);
  useEffect(() => {
    if (!session) return;
    void load();
    void api<TemplateDescription[]>('GET', '/v1/templates').then(setTemplates);
  }, [session, load]);

  /** A change committed: the pending panel, with its Apply button, is the next step. */
  const saved = () => {
    setNote(null);
    setEditor(null);
    void load().then(() => setReveal((n) => n + 1));
  };
  const fail = (e: unknown) =>
    setNote(e instanceof ApiError ? e.message : 'the unit did not answer');
  const serverChange = async (
    service: string,
    backend: string,
    server: string,
    change: ServerChange,
  ) => {
    try {
      const r = await api<{ applied: string }>(
        'POST',
        `/v1/servers/${encodeURIComponent(service)}/${encodeURIComponent(server)}?backend=${encodeURIComponent(backend)}`,
        {
          change,
          message: `${server}: ${'state' in change ? change.state : `weight ${change.weight}`}`,
        },
      );
      const what = 'state' in change ? `is ${change.state}` : `has weight ${change.weight}`;
      setNote(
        `${server} ${what}: ${r.applied === 'live' ? 'live, no reload' : 'applied by a reload'}.`,
      );
      await load();
    } catch (e) {
      fail(e);
    }
  };
  const remove = async (name: string) => {
    try {
      const r = await api<EditResponse>('POST', `/v1/services/${encodeURIComponent(name)}/remove`, {
        base: status?.desired ?? null,
        message: `remove service ${name}`,
      });
      if ('generation' in r) saved();
    } catch (e) {
      fail(e);
    }
  };
  const editThroughTemplate = (s: Service) => {
    const template = templates.find((t) => t.name === s.template?.name);
    if (template && s.template)
      setEditor({
        kind: 'template',
        template,
        service: s.name,
        params: s.template.params as Value,
      });
  };

  if (!session || services === null) return <Loading />;
  const admin = session.role === 'admin';
  const editorFor = (e: Editor) => {
    const common = {
      base: status?.desired ?? null,
      onSaved: saved,
      onCancel: () => setEditor(null),
    };
    if (e.kind === 'advanced')
      return (
        <AdvancedEditor
          key={e.service.name}
          service={e.service}
          serviceNames={services.map((s) => s.name)}
          {...common}
        />
      );
    return (
      <TemplateEditor
        key={e.kind === 'new' ? e.template.name : e.service}
        template={e.template}
        {...(e.kind === 'template' ? { editing: { service: e.service, params: e.params } } : {})}
        {...common}
      />
    );
  };
  const editingService = editor && editor.kind !== 'new';
  return (
    <div className={PAGE_FRAME}>
      <Nav session={session} unit={status?.unit} />
      <Note text={note} />
      <ApplyPanel status={status} admin={admin} onDone={() => void load()} reveal={reveal} />
      <h2 className="mb-2 mt-6 text-lg font-medium">Services</h2>
      {services.length === 0 && (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No services yet{admin ? ': start from a template below' : ''}.
        </p>
      )}
      {editingService && editorFor(editor)}
      <ul className="mt-3 space-y-3">
        {services.map((s) => (
          <ServiceCard
            key={s.name}
            service={s}
            admin={admin}
            live={live}
            discovery={discovery}
            onServer={(b, sv, c) => void serverChange(s.name, b, sv, c)}
            onEdit={() => editThroughTemplate(s)}
            onAdvanced={() => setEditor({ kind: 'advanced', service: s })}
            onRemove={() => void remove(s.name)}
          />
        ))}
      </ul>
      {admin && (
        <>
          <h2 className="mb-2 mt-8 text-lg font-medium">New service from a template</h2>
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {templates.map((t) => (
              <button
                key={t.name}
                onClick={() => setEditor({ kind: 'new', template: t })}
                aria-pressed={editor?.kind === 'new' && editor.template.name === t.name}
                className={`rounded-lg border p-3 text-left text-sm ${editor?.kind === 'new' && editor.template.name === t.name ? 'border-indigo-500 ring-1 ring-indigo-500' : 'border-slate-200 dark:border-slate-800'} bg-white dark:bg-slate-900`}
              >
                <div className="font-medium">{t.title}</div>
                <div className="mt-1 text-slate-500 dark:text-slate-400">{t.summary}</div>
              </button>
            ))}
          </div>
          {editor?.kind === 'new' && editorFor(editor)}
        </>
      )}
    </div>
  );
}
