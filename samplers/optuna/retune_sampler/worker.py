"""Temporal worker for the sampler task queue: serves the `suggestParams` activity.

    python -m retune_sampler.worker [--address localhost:7233] [--namespace default]

TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE are read like the Node worker reads them. Stops on
SIGINT/SIGTERM. Holds no state: any number of these may poll the queue, and one may be killed
at any time (Temporal retries the activity elsewhere).
"""

import argparse
import asyncio
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker

from .suggest import suggest

# libs/core/src/orchestration/contracts.ts: TASK_QUEUES.sampler, SAMPLER_ACTIVITY.
TASK_QUEUE = "retune-sampler"
ACTIVITY = "suggestParams"


@activity.defn(name=ACTIVITY)
def suggest_params(request: dict[str, Any]) -> dict[str, Any]:
    return suggest(request)


async def _stop_when_orphaned(stop: asyncio.Event) -> None:
    """Started by a Node worker: end with it, even when it was killed with SIGKILL."""
    parent = os.getppid()
    while not stop.is_set():
        await asyncio.sleep(1)
        if os.getppid() != parent:
            stop.set()


async def run(address: str, namespace: str, queue: str) -> None:
    client = await Client.connect(address, namespace=namespace)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    loop.create_task(_stop_when_orphaned(stop))
    # A GP fit uses torch's threads; two asks at once are plenty for one sampler process.
    with ThreadPoolExecutor(max_workers=2) as pool:
        worker = Worker(
            client, task_queue=queue, activities=[suggest_params], activity_executor=pool
        )
        async with worker:
            print(f"retune sampler worker: polling {queue} on {address}", flush=True)
            await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default=os.environ.get("TEMPORAL_ADDRESS", "localhost:7233"))
    parser.add_argument("--namespace", default=os.environ.get("TEMPORAL_NAMESPACE", "default"))
    parser.add_argument("--task-queue", default=TASK_QUEUE)
    args = parser.parse_args()
    asyncio.run(run(args.address, args.namespace, args.task_queue))


if __name__ == "__main__":
    main()
