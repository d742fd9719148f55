'use client';
import { useState } from 'react';
import type { EditPreview, EditResponse } from '@tandem/core';
import { ApiError, type FieldError } from '../../lib/api';

/**
 * Preview-then-save for an edit form: the same request is sent as a dry run (the agent answers
 * the haproxy.cfg diff against the running generation) or for real (a new generation). Field
 * errors from either stay on the form.
 */
export function useEdit(
  send: (dryRun: boolean) => Promise<EditResponse>,
  onSaved: (generation: number) => void,
) {
  const [preview, setPreview] = useState<EditPreview | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (dryRun: boolean) => {
    setBusy(true);
    try {
      const r = await send(dryRun);
      setErrors([]);
      setMessage(null);
      if ('preview' in r) setPreview(r.preview);
      else onSaved(r.generation.number);
    } catch (e) {
      setPreview(null);
      setErrors(e instanceof ApiError ? e.fields : []);
      setMessage(e instanceof ApiError ? e.message : 'the unit did not answer');
    } finally {
      setBusy(false);
    }
  };
  return { preview, errors, message, busy, run };
}
