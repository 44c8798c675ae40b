// ARN shapes that more than one stage checks: the transformer rejects a
// malformed one at its decorator, converge takes the role name out of it.
// One rule each, here, so the two stages cannot disagree.

/** `arn:<partition>:iam::<account>:role/<path/>name`; group 1 is the role name (GetRole takes the name, not the path). */
export const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;

/** `arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>`: a layer version (Lambda takes nothing less). */
export const LAYER_VERSION_ARN = /^arn:aws[\w-]*:lambda:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:layer:[A-Za-z0-9_-]{1,140}:\d+$/;

/** `arn:<partition>:sns:<region>:<account>:<topic name>` (a FIFO topic ends in `.fifo`). */
export const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
