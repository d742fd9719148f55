/** The one-line answer to what the user just did (role=status, so screen readers say it). */
export function Note({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p
      role="status"
      className="mb-4 rounded border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      {text}
    </p>
  );
}
