'use client';
import { useState } from 'react';
import type { EditResponse, Service } from '@tandem/core';
import { api } from '../../lib/api';
import { namedFieldPath, referenceHref } from '../../lib/servicePath';
import { EditFooter } from './editFooter';
import { useEdit } from './useEdit';
import { useReveal } from './useReveal';

/**
 * Every field of a service, as the JSON the agent validates (the model in docs/model.md):
 * for what no template asks. Saving detaches the service from its template, since the
 * template's form could not show these edits.
 */
export function AdvancedEditor(p: {
  service: Service;
  base: number | null;
  onSaved: (generation: number) => void;
  onCancel: () => void;
  /** The configuration's services in order: an error's `services[3]` is said by name. */
  serviceNames: readonly string[];
}) {
  const { template, ...fields } = p.service;
  const [text, setText] = useState(JSON.stringify(fields, null, 2));
  const [syntax, setSyntax] = useState<string | null>(null);
  const edit = useEdit(async (dryRun) => {
    let service: unknown;
    try {
      service = JSON.parse(text);
      setSyntax(null);
    } catch (e) {
      setSyntax(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    return api<EditResponse>(
      'PUT',
      `/v1/services/${encodeURIComponent(p.service.name)}${dryRun ? '?dryRun=true' : ''}`,
      { base: p.base, service, message: `edit service ${p.service.name} (advanced)` },
    );
  }, p.onSaved);
  const form = useReveal<HTMLFormElement>();
  const fieldErrors = edit.errors.map((f) => ({
    text: `${namedFieldPath(f.path, p.serviceNames)}: ${f.message}`,
    href: referenceHref(f.path),
  }));
  return (
    <form
      ref={form}
      aria-label={`Advanced edit of ${p.service.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void edit.run(false);
      }}
      className="mt-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h3 className="mb-1 font-medium">Advanced edit of {p.service.name}</h3>
      <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">
        Every field of the service (see the{' '}
        <a
          href="/reference"
          target="_blank"
          rel="noopener"
          className="text-indigo-700 underline dark:text-indigo-300"
        >
          model reference
        </a>
        ).
        {template && ` Saving detaches it from the ${template.name} template.`}
      </p>
      <label className="block text-sm">
        <span className="font-medium">Service (JSON)</span>
        <textarea
          name="service"
          spellCheck={false}
          rows={Math.min(30, text.split('\n').length + 1)}
          aria-invalid={syntax || fieldErrors.length > 0 ? true : undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="mt-1 block w-full rounded border border-slate-300 bg-white p-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-800"
        />
      </label>
      <EditFooter
        saveLabel="Save changes"
        busy={edit.busy}
        message={syntax ?? edit.message}
        unplaced={syntax ? [] : fieldErrors}
        preview={edit.preview}
        onPreview={() => void edit.run(true)}
        onCancel={p.onCancel}
      />
    </form>
  );
}
