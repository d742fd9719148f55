'use client';
import { useEffect, useState } from 'react';
import type { EditResponse, StoredCertificate, TemplateDescription } from '@tandem/core';
import { api } from '../../lib/api';
import { cleanValue, initialValue, type JsonSchema, type Value } from '../../lib/schemaValue';
import { SchemaForm } from '../schemaForm';
import { EditFooter } from './editFooter';
import { useEdit } from './useEdit';
import { useReveal } from './useReveal';

/**
 * A template's form, for a new service or to edit one made from it (its stored parameters
 * reopen the form). Preview asks the agent for a dry run; Save commits a generation to apply.
 */
export function TemplateEditor(p: {
  template: TemplateDescription;
  /** The service being edited through its template; absent for a new one. */
  editing?: { service: string; params: Value };
  base: number | null;
  onSaved: (generation: number) => void;
  onCancel: () => void;
}) {
  const schema = p.template.params as JsonSchema;
  const [value, setValue] = useState<Value>(p.editing?.params ?? initialValue(schema));
  // The stored certificates, for a template that asks for one by name.
  const [certificates, setCertificates] = useState<string[] | undefined>(undefined);
  useEffect(() => {
    const wants = Object.values(schema.properties ?? {}).some(
      (f) => f.ui?.choices === 'certificates',
    );
    if (wants)
      void api<StoredCertificate[]>('GET', '/v1/certificates').then(
        (l) => setCertificates(l.map((c) => c.name)),
        () => undefined,
      );
  }, [schema]);
  const edit = useEdit((dryRun) => {
    const body = {
      base: p.base,
      template: p.template.name,
      params: cleanValue(schema, value),
      message: p.editing
        ? `edit ${p.editing.service} (${p.template.name})`
        : `new service from ${p.template.name}`,
    };
    const q = dryRun ? '?dryRun=true' : '';
    return p.editing
      ? api<EditResponse>(
          'PUT',
          `/v1/services/${encodeURIComponent(p.editing.service)}/template${q}`,
          body,
        )
      : api<EditResponse>('POST', `/v1/services${q}`, body);
  }, p.onSaved);
  const title = p.editing ? `Edit ${p.editing.service}` : `New ${p.template.title} service`;
  const form = useReveal<HTMLFormElement>();
  return (
    <form
      ref={form}
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        void edit.run(false);
      }}
      className="mt-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h3 className="mb-1 font-medium">{title}</h3>
      <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">{p.template.summary}</p>
      <SchemaForm
        schema={schema}
        value={value}
        onChange={setValue}
        errors={edit.errors}
        {...(certificates ? { choices: { certificates } } : {})}
      />
      <EditFooter
        saveLabel={p.editing ? 'Save changes' : 'Create service'}
        busy={edit.busy}
        message={edit.message}
        unplaced={edit.errors
          .filter((f) => !f.path.startsWith('params.'))
          .map((f) => ({ text: `${f.path}: ${f.message}` }))}
        preview={edit.preview}
        onPreview={() => void edit.run(true)}
        onCancel={p.onCancel}
      />
    </form>
  );
}
