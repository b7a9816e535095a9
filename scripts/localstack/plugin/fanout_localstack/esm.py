"""SQS event source mappings that never take a message, while functions cannot run.

An enabled mapping would receive messages for a function that cannot run: each would stay in flight for the
visibility timeout, come back, and be dead-lettered after maxReceiveCount receives, stolen from the tests' own
poller. No LocalStack setting turns the pollers off, so this hook makes SqsPoller.poll_events report an empty
queue (EsmWorker.poller_loop then backs off, up to 10 s between polls). The mappings are still created,
enabled and disabled as usual. FANOUT_LS_ESM_POLL=1 keeps LocalStack's poller.
"""

import logging
import os

from localstack import config
from localstack.runtime import hooks

from .noexec import EXECUTOR_NAME

LOG = logging.getLogger(__name__)


@hooks.on_infra_start()
def fanout_sqs_esm_no_poll():
    if config.LAMBDA_RUNTIME_EXECUTOR != EXECUTOR_NAME or os.environ.get("FANOUT_LS_ESM_POLL") == "1":
        return
    from localstack.services.lambda_.event_source_mapping.pollers.poller import EmptyPollResultsException
    from localstack.services.lambda_.event_source_mapping.pollers.sqs_poller import SqsPoller

    def poll_events(self):
        raise EmptyPollResultsException(service="sqs", source_arn=self.source_arn)

    SqsPoller.poll_events = poll_events
    LOG.warning("Lambda runtime executor %s: SQS event source mappings do not receive messages", EXECUTOR_NAME)
