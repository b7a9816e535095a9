"""The Lambda runtime executor "fanout-noexec": functions are prepared, never run.

LocalStack's docker executor prepares a function version by downloading its init binary from GitHub and
pulling the runtime's Docker image (docker_runtime_executor.py, prepare_version), neither of which host mode
can do; no setting skips them. CloudFormation waits for the function to go Active, which happens once
prepare_version returns (version_manager.py). This executor's prepare_version only unpacks the zip, so a
broken archive still fails the creation, and an invocation fails with a message naming the executor.
"""

import logging

from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin

LOG = logging.getLogger(__name__)

EXECUTOR_NAME = "fanout-noexec"


class NoExecRuntimeExecutorPlugin(RuntimeExecutorPlugin):
    name = EXECUTOR_NAME

    def load(self, *args, **kwargs):
        # Imported here: plux loads the plugin's class before LocalStack's Lambda service is set up.
        from localstack.services.lambda_.invocation.runtime_executor import (
            LambdaRuntimeException,
            RuntimeExecutor,
        )

        class NoExecRuntimeExecutor(RuntimeExecutor):
            def start(self, env_vars):
                raise LambdaRuntimeException(
                    f"LAMBDA_RUNTIME_EXECUTOR={EXECUTOR_NAME}: LocalStack does not run Lambda functions here "
                    f"(function {self.function_version.id.function_name} was created, not runnable)"
                )

            def stop(self):
                pass

            def get_address(self):
                return "127.0.0.1"

            def get_endpoint_from_executor(self):
                return "127.0.0.1"

            def get_runtime_endpoint(self):
                return "http://127.0.0.1:0/_localstack_lambda/" + self.id

            def invoke(self, payload):
                raise LambdaRuntimeException(f"LAMBDA_RUNTIME_EXECUTOR={EXECUTOR_NAME}: no invocations")

            def get_logs(self):
                return ""

            @classmethod
            def prepare_version(cls, function_version):
                if function_version.config.code:
                    function_version.config.code.prepare_for_execution()

            @classmethod
            def cleanup_version(cls, function_version):
                pass

            @classmethod
            def validate_environment(cls):
                LOG.warning("Lambda runtime executor %s: functions are created but never run", EXECUTOR_NAME)
                return True

        return NoExecRuntimeExecutor
