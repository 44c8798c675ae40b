// Which property changes make CloudFormation replace a resource rather than
// update it ("Update requires: Replacement" in each type's reference), for
// the types sparta generates and the ones services declare most. A type not
// listed here is shown without a verdict: `diff` does not guess.

const REPLACING: Record<string, readonly string[]> = {
  'AWS::Lambda::Function': ['FunctionName', 'PackageType'],
  'AWS::Lambda::Permission': ['Action', 'EventSourceToken', 'FunctionName', 'FunctionUrlAuthType', 'Principal', 'PrincipalOrgID', 'SourceAccount', 'SourceArn'],
  'AWS::Lambda::EventSourceMapping': ['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp', 'SelfManagedEventSource', 'AmazonManagedKafkaEventSourceConfig'],
  'AWS::Logs::LogGroup': ['LogGroupName', 'LogGroupClass'],
  'AWS::Logs::SubscriptionFilter': ['FilterName', 'LogGroupName'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::IAM::Policy': [],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName', 'Path'],
  'AWS::Events::Rule': ['Name', 'EventBusName'],
  'AWS::Events::EventBus': ['Name', 'EventSourceName'],
  'AWS::SNS::Topic': ['TopicName', 'FifoTopic'],
  'AWS::SNS::Subscription': ['Endpoint', 'Protocol', 'TopicArn'],
  'AWS::SQS::Queue': ['QueueName', 'FifoQueue'],
  'AWS::S3::Bucket': ['BucketName', 'ObjectLockEnabled'],
  'AWS::DynamoDB::Table': ['TableName', 'KeySchema'],
  'AWS::Kinesis::Stream': ['Name'],
  'AWS::SES::ReceiptRule': ['RuleSetName'],
  'AWS::SES::ReceiptRuleSet': ['RuleSetName'],
};

/** true: this top-level property's change replaces the resource; false: updated in place; undefined: not known here. */
export function replacesResource(type: string, property: string): boolean | undefined {
  const replacing = REPLACING[type];
  return replacing === undefined ? undefined : replacing.includes(property);
}
