import Link from 'next/link';
import { Shell } from './ui';

/** An address the console does not have. */
export default function NotFound() {
  return (
    <Shell title="Not here" subtitle="This console has no page at that address.">
      <Link href="/" className="text-indigo-700 underline dark:text-indigo-300">
        Go to the dashboard
      </Link>
    </Shell>
  );
}
