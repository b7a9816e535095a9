/**
 * The alarms of a `Fanout`: what an operator needs to hear about without watching `fanout status`.
 * Created in this order, each under its construct ID: DeadLetterAlarm, WorkerErrorsAlarm,
 * MessageAgeAlarm, ThrottlesAlarm.
 *
 * Each alarm's missing-data rule is chosen for its metric:
 * - SQS publishes a queue's metrics only while the queue is active (it holds messages or is being
 *   called, for up to six hours); `ApproximateAgeOfOldestMessage` only while there is a message.
 * - Lambda publishes `Errors` and `Throttles` only for minutes with invocations (or attempts).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** What the alarms watch, and where they notify. */
export type FanoutAlarmsInput = {
  readonly dispatched: sqs.IQueue;
  readonly deadLetter: sqs.IQueue;
  readonly worker: lambda.IFunction;
  /** The age of the oldest dispatched message that raises `messageAge`. */
  readonly messageAgeThreshold: Duration;
  /** Notified when an alarm goes off and when it clears. */
  readonly topic?: sns.ITopic;
};

/** The four alarms, created in `scope` under the construct IDs named by their keys' doc comments. */
export type FanoutAlarms = {
  /** `DeadLetterAlarm`: at least one message in the dead-letter queue. */
  readonly deadLetter: cloudwatch.Alarm;
  /** `WorkerErrorsAlarm`: at least one failed worker invocation in 5 minutes. */
  readonly workerErrors: cloudwatch.Alarm;
  /** `ThrottlesAlarm`: at least one throttled worker invocation in 5 minutes. */
  readonly throttles: cloudwatch.Alarm;
  /** `MessageAgeAlarm`: a dispatched message has waited longer than the threshold. */
  readonly messageAge: cloudwatch.Alarm;
};

export function createFanoutAlarms(scope: Construct, input: FanoutAlarmsInput): FanoutAlarms {
  const deadLetter = new cloudwatch.Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription:
      'fanout: job messages are in the dead-letter queue (they failed every delivery). ' +
      '`fanout collect` names their jobs; fix the cause, then `fanout redrive`.',
    metric: input.deadLetter.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: cloudwatch.Stats.MAXIMUM,
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    // A dead-letter queue nobody touches may stop reporting while it still holds messages: keep the
    // last state rather than clear the alarm. It clears when SQS next reports 0 (after a redrive,
    // which reads the queue, or once the messages expire).
    treatMissingData: cloudwatch.TreatMissingData.IGNORE,
  });

  const workerErrors = new cloudwatch.Alarm(scope, 'WorkerErrorsAlarm', {
    alarmDescription:
      'fanout: worker invocations failed (a crash, a timeout or running out of memory; a job that throws is a result, ' +
      'not an error). Their records are retried, then dead-lettered. See the worker log group.',
    metric: input.worker.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    // No data: no invocations, so no errors.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  const thresholdSeconds = input.messageAgeThreshold.toSeconds();
  const messageAge = new cloudwatch.Alarm(scope, 'MessageAgeAlarm', {
    alarmDescription:
      `fanout: a job message has waited more than ${input.messageAgeThreshold.toHumanString()} in the dispatched queue: ` +
      'the event source mapping is paused (`fanout resume`) or throttled, or a run is larger than maxConcurrency workers drain in that time.',
    metric: input.dispatched.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(1),
      statistic: cloudwatch.Stats.MAXIMUM,
    }),
    threshold: thresholdSeconds,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    // Three minutes in a row: SQS's figure is approximate, and three minutes add little to a threshold
    // of an hour.
    evaluationPeriods: 3,
    // No data: the queue is empty, so nothing is waiting.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  // Made last, so that the resources made before it keep their order in the template.
  const throttles = new cloudwatch.Alarm(scope, 'ThrottlesAlarm', {
    alarmDescription:
      'fanout: worker invocations were throttled: the reserved concurrency, or the account\'s unreserved concurrency, ' +
      'is used up (by this worker or by other functions). Jobs wait in the queue meanwhile and run late; raise the ' +
      'concurrency, or lower maxConcurrency below it.',
    metric: input.worker.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    // Lambda publishes Throttles only for minutes with invocation attempts: no data, no throttling.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  const alarms = { deadLetter, workerErrors, messageAge, throttles };
  if (input.topic) {
    const action = new SnsAction(input.topic);
    for (const alarm of Object.values(alarms)) {
      alarm.addAlarmAction(action);
      // OK too: a pager or chat integration resolves the incident it opened, and after a redrive the
      // operator hears that the dead-letter queue is empty without checking.
      alarm.addOkAction(action);
    }
  }
  return alarms;
}
