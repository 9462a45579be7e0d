import Link from 'next/link';
import { NewSweepForm } from './new-sweep-form';
import { serverCaller } from '../../../server/context';

export const dynamic = 'force-dynamic';

export default async function NewSweepPage() {
  const options = await serverCaller().sweep.formOptions();
  return (
    <section>
      <p className="crumbs">
        <Link href="/">Sweeps</Link> / new
      </p>
      <h1>New sweep</h1>
      <NewSweepForm datasets={options.datasets} baseModels={options.baseModels} />
    </section>
  );
}
