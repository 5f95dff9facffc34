// Package awsapi holds what the AWS connectors (IAM, Identity Center,
// Organizations) share about calling AWS: the call gate that paces and
// observes every attempt, the retryer, errors sorted by kind, paging with
// a cap and loop detection, deadlines, and role credentials whose session
// names the offboarding case. It knows nothing of grants.
package awsapi
