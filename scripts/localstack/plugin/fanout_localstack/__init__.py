"""fanout's LocalStack plugin: what host mode (no Docker) needs to deploy fanout's real stack and test it.

Put this directory on LocalStack's PYTHONPATH (scripts/localstack/host.ts does): plux finds the entry points of
fanout_localstack-0.1.0.dist-info beside it, and nothing is written into the venv.

- noexec.py: the Lambda runtime executor "fanout-noexec" (LAMBDA_RUNTIME_EXECUTOR=fanout-noexec). A function is
  created and goes Active, its zip unpacked, but LocalStack never runs it: no download of its init binary, no
  Docker image.
- esm.py: with that executor, SQS event source mappings never receive messages (they still switch between
  Enabled and Disabled), so the tests' own poller, which runs the deployed bundle, gets every message.
- request_log.py: records the AWS requests signed with an access key that starts with "fanoutrec", for the
  tests' check of the stack's IAM policies; GET /_fanout/requests/<key> returns them.
- GET /_fanout/plugin says the plugin is loaded and which executor runs (request_log.py).

Written against localstack-core 4.14.0 (scripts/localstack/options.ts pins it): esm.py replaces a method of
LocalStack's SQS poller, so re-check it on an upgrade.
"""

VERSION = "1"
