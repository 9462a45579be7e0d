import Link from 'next/link';
import { NewSweepForm } from './new-sweep-form';
import { serverCaller } from '../../../server/context';
import { userCan } from '../../../server/permissions';

export const dynamic = 'force-dynamic';

export default async function NewSweepPage() {
  const options = await serverCaller().sweep.formOptions();
  return (
    <section>
      <p className="crumbs">
        <Link href="/">Sweeps</Link> / new
      </p>
      <h1>New sweep</h1>
      {(await userCan('sweep.launch')) ? (
        <NewSweepForm datasets={options.datasets} baseModels={options.baseModels} />
      ) : (
        <p className="sub">Launching sweeps needs the member role: ask an admin.</p>
      )}
    </section>
  );
}
