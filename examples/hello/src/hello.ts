import { CloudWatchEvent, DependsOn, discover, GetAtt, Lambda, logger, Privilege, Ref, Resource, Service, SNS, Sub } from 'sparta';
import type { Context, ScheduledEvent, SNSEvent } from 'aws-lambda';
import { greet } from './greeting';

const ALERTS = 'AlertsTopic';

@Service({ name: 'hello-sparta', description: 'Hello world service', tags: { team: 'examples' } })
@Resource(ALERTS, { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'Alerts' } })
@Resource('ImagesBucket', { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })
export class Hello {
  private invocations = 0;

  /** Answers any event; a quick way to see a function work. */
  @Lambda({ memorySize: 256, timeout: 10, description: 'Says hello', environment: { GREETING_NAME: 'World' } })
  hello(event: unknown, context: Context) {
    this.invocations += 1;
    logger.debug('hello', { invocations: this.invocations });
    return { message: greet(process.env.GREETING_NAME ?? 'World'), requestId: context.awsRequestId, invocations: this.invocations };
  }

  /** Every five minutes, publishes a heartbeat to the alerts topic. */
  @Lambda({ logRetentionDays: 7 })
  @CloudWatchEvent({ schedule: 'rate(5 minutes)', description: 'Heartbeat' })
  @Privilege({ actions: ['sns:Publish'], resource: Ref(ALERTS) })
  async tick(event: ScheduledEvent) {
    // The topic's ARN is only known once deployed: the discovery document carries it.
    const topic = discover().resources[ALERTS].ref;
    logger.info('heartbeat', { topic, scheduledFor: event.time });
    return { published: false, topic, time: event.time };
  }

  /** Receives the alerts and may write images to the bucket. */
  @Lambda({ timeout: 30 })
  @SNS({ topic: Ref(ALERTS) })
  @Privilege({ actions: ['s3:PutObject', 's3:GetObject'], resource: Sub('${ImagesBucket.Arn}/*') })
  @Privilege({ actions: 's3:ListBucket', resource: GetAtt('ImagesBucket', 'Arn') })
  @DependsOn(ALERTS)
  async onAlert(event: SNSEvent) {
    const subjects = event.Records.map((record) => record.Sns.Subject ?? '(no subject)');
    logger.info('alerts received', { subjects });
    return { received: subjects.length };
  }

  /** Not a function: no @Lambda, so it never appears in the manifest. */
  helper() {
    return this.invocations;
  }
}
