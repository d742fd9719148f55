'use client';
import { useCallback, useEffect, useState } from 'react';
import type { StatusResponse } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { ApplyPanel } from '../applyPanel';
import { Nav } from '../nav';
import { Note } from '../note';
import { cleanValue, initialValue, SchemaForm, type JsonSchema } from '../schemaForm';
import { useSession } from '../useSession';

interface TemplateInfo {
  name: string;
  title: string;
  summary: string;
  params: JsonSchema;
}
interface ServiceDetail {
  name: string;
  mode: string;
  binds: { address?: string; vip?: string; port: number }[];
  backends: {
    name: string;
    servers: { name: string; address: string; port: number; state?: string; weight?: number }[];
  }[];
}

/** Services: the list with live server actions, and new services from the template gallery. */
export default function ServicesPage() {
  const session = useSession();
  const [services, setServices] = useState<ServiceDetail[]>([]);
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const [chosen, setChosen] = useState<TemplateInfo | null>(null);
  const [value, setValue] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusResponse | null>(null);

  const load = useCallback(async () => {
    const list = await api<{ name: string }[]>('GET', '/v1/services').catch(() => []);
    setServices(
      await Promise.all(
        list.map((s) => api<ServiceDetail>('GET', `/v1/services/${encodeURIComponent(s.name)}`)),
      ),
    );
    setStatus(await api<StatusResponse>('GET', '/v1/status'));
  }, []);
  useEffect(() => {
    if (!session) return;
    void load();
    void api<TemplateInfo[]>('GET', '/v1/templates').then(setTemplates);
  }, [session, load]);

  const choose = (t: TemplateInfo) => {
    setChosen(t);
    setValue(initialValue(t.params));
    setErrors([]);
    setNote(null);
  };
  const create = async () => {
    if (!chosen) return;
    try {
      const r = await api<{ generation: { number: number } }>('POST', '/v1/services', {
        base: status?.desired ?? null,
        template: chosen.name,
        params: cleanValue(chosen.params, value),
        message: `new service from ${chosen.name}`,
      });
      setNote(`Generation ${r.generation.number} committed: review and apply it below.`);
      setChosen(null);
      setErrors([]);
      await load();
    } catch (e) {
      setErrors(e instanceof ApiError ? e.fields : []);
      setNote(e instanceof ApiError ? e.message : 'the unit did not answer');
    }
  };
  const serverAction = async (service: string, backend: string, server: string, state: string) => {
    try {
      const r = await api<{ applied: string }>(
        'POST',
        `/v1/servers/${encodeURIComponent(service)}/${encodeURIComponent(server)}?backend=${encodeURIComponent(backend)}`,
        {
          change: { state },
          message: `${server}: ${state}`,
        },
      );
      setNote(
        `${server} is ${state}: ${r.applied === 'live' ? 'live, no reload' : 'applied by a reload'}.`,
      );
      await load();
    } catch (e) {
      setNote(e instanceof ApiError ? e.message : 'the unit did not answer');
    }
  };

  if (!session)
    return <main className="p-6 text-sm text-slate-500 dark:text-slate-400">Loading…</main>;
  const admin = session.role === 'admin';
  return (
    <div className="mx-auto max-w-5xl p-6">
      <Nav session={session} unit={status?.unit} />
      <Note text={note} />
      <ApplyPanel status={status} admin={admin} onDone={() => void load()} />
      <h2 className="mb-2 mt-6 text-lg font-medium">Services</h2>
      {services.length === 0 && (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No services yet: start from a template below.
        </p>
      )}
      <ul className="space-y-3">
        {services.map((s) => (
          <li
            key={s.name}
            className="rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="mb-2 font-medium">
              {s.name}{' '}
              <span className="font-normal text-slate-500 dark:text-slate-400">
                {s.mode}, on{' '}
                {s.binds.map((b) => `${b.vip ?? b.address ?? '*'}:${b.port}`).join(', ')}
              </span>
            </div>
            {s.backends.map((b) => (
              <table key={b.name} className="w-full">
                <tbody>
                  {b.servers.map((sv) => (
                    <tr key={sv.name} className="border-t border-slate-100 dark:border-slate-800">
                      <td className="py-1.5">{sv.name}</td>
                      <td className="py-1.5 text-slate-500 dark:text-slate-400">
                        {sv.address}:{sv.port}
                      </td>
                      <td className="py-1.5">{sv.state ?? 'ready'}</td>
                      <td className="py-1.5 text-right">
                        {admin &&
                          ['ready', 'drain', 'maint'].map((st) => (
                            <button
                              key={st}
                              disabled={(sv.state ?? 'ready') === st}
                              onClick={() => void serverAction(s.name, b.name, sv.name, st)}
                              className="ml-1 rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40 dark:border-slate-700"
                            >
                              {st === 'ready' ? 'Ready' : st === 'drain' ? 'Drain' : 'Maintenance'}
                            </button>
                          ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </li>
        ))}
      </ul>
      {admin && (
        <>
          <h2 className="mb-2 mt-8 text-lg font-medium">New service from a template</h2>
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {templates.map((t) => (
              <button
                key={t.name}
                onClick={() => choose(t)}
                aria-pressed={chosen?.name === t.name}
                className={`rounded-lg border p-3 text-left text-sm ${chosen?.name === t.name ? 'border-indigo-500 ring-1 ring-indigo-500' : 'border-slate-200 dark:border-slate-800'} bg-white dark:bg-slate-900`}
              >
                <div className="font-medium">{t.title}</div>
                <div className="mt-1 text-slate-500 dark:text-slate-400">{t.summary}</div>
              </button>
            ))}
          </div>
          {chosen && (
            <form
              aria-label={`New ${chosen.title} service`}
              onSubmit={(e) => {
                e.preventDefault();
                void create();
              }}
              className="mt-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
            >
              <h3 className="mb-3 font-medium">{chosen.title}</h3>
              <SchemaForm
                schema={chosen.params}
                value={value}
                onChange={setValue}
                errors={errors}
              />
              <button className="mt-4 rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white">
                Create service
              </button>
            </form>
          )}
        </>
      )}
    </div>
  );
}
