/*
 * body.c - requestParameters, responseElements, additionalEventData and
 * resources of each call.
 *
 * The bodies are what make a sample realistic in size and nesting: an
 * AssumeRole carries credentials, a RunInstances a deep instance set, a
 * DescribeInstances filter lists, S3 data events their extra fields.  The
 * fold skips most of this, so it is here to be skipped at the speed real
 * trails need.  One case per body shape (enum shape in sample.h); a failed
 * call gets its request but no response, as in CloudTrail.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sample.h"

static void
put_iid(struct ct_buf *b, struct rng *r)
{
	put(b, "i-0");
	put_hex(b, r, 16);
}

static void
put_bucket(struct ct_buf *b, struct rng *r, const struct world *w)
{
	static const char *bk[] = {
		"prod-orders-archive", "cloudtrail-logs", "terraform-state",
		"static-website-assets", "data-lake-raw", "athena-results",
		"backup-vault-export", "ml-training-sets",
	};
	put(b, PICK(r, bk));
	put_c(b, '-');
	put(b, w->account);
}

static void
put_filters(struct ctx *c)
{
	static const char *names[] = {
		"vpc-id", "tag:Name", "instance-state-name", "group-name",
		"availability-zone", "tag:aws:cloudformation:stack-name",
		"owner-id", "attachment.instance-id",
	};
	struct ct_buf *b = c->b;
	int n = 1 + (int)rng_below(c->r, 3);

	put(b, "\"filterSet\":{\"items\":[");
	for (int i = 0; i < n; i++) {
		if (i)
			put_c(b, ',');
		put(b, "{\"name\":\""); put(b, PICK(c->r, names));
		put(b, "\",\"valueSet\":{\"items\":[{\"value\":\"");
		if (rng_chance(c->r, 1, 2)) {
			put(b, "vpc-0"); put_hex(b, c->r, 16);
		} else
			put(b, rng_chance(c->r, 1, 5) ? "Café-Frontend 🚀" :
			    "running");
		put(b, "\"}]}}");
	}
	put(b, "]}");
}

static void
put_policy_doc(struct ctx *c)
{
	/* A JSON document inside a JSON string, escaped, as IAM logs it. */
	put(c->b, "\"{\\n  \\\"Version\\\": \\\"2012-10-17\\\",\\n  "
	    "\\\"Statement\\\": [\\n    {\\n      \\\"Effect\\\": \\\"Allow\\\",\\n"
	    "      \\\"Action\\\": [\\\"s3:GetObject\\\", \\\"s3:PutObject\\\", "
	    "\\\"s3:ListBucket\\\"],\\n      \\\"Resource\\\": [\\\"arn:aws:s3:::");
	put_bucket(c->b, c->r, c->w);
	put(c->b, "\\\", \\\"arn:aws:s3:::");
	put_bucket(c->b, c->r, c->w);
	put(c->b, "/*\\\"],\\n      \\\"Condition\\\": {\\\"StringEquals\\\": "
	    "{\\\"aws:PrincipalOrgID\\\": \\\"o-a1b2c3d4e5\\\"}}\\n    }\\n  ]\\n}\"");
}

static void
put_s3_extra(struct ctx *c, const char *auth)
{
	struct ct_buf *b = c->b;

	put(b, ",\"additionalEventData\":{\"SignatureVersion\":\"SigV4\","
	    "\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":");
	put_u(b, rng_below(c->r, 4) ? 0 : rng_below(c->r, 900000));
	put(b, ",\"AuthenticationMethod\":\""); put(b, auth);
	put(b, "\",\"x-amz-id-2\":\"");
	put_rand(b, c->r, B64, 76);
	put(b, "\",\"bytesTransferredOut\":");
	put_u(b, rng_below(c->r, 2000000));
	put(b, "}");
}

void
put_body(struct ctx *c, int failed, struct ct_buf *res)
{
	struct ct_buf *b = c->b;
	struct rng *r = c->r;
	const struct world *w = c->w;
	int i, n;

	switch (c->ev->shape) {
	case S_ASSUME_ROLE: {
		const struct principal *tp =
		    &w->pr[rng_below(r, (uint32_t)w->npr)];
		const char *rn = tp->kind == ID_ROLE ? tp->name : "OrganizationAccountAccessRole";
		put(b, "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::");
		put(b, w->account); put(b, ":role/"); put(b, rn);
		put(b, "\",\"roleSessionName\":\"");
		put(b, PICK(r, SESSIONS));
		put(b, "\",\"durationSeconds\":3600");
		if (rng_chance(r, 1, 4)) {
			put(b, ",\"externalId\":\"");
			put_uuid(b, r);
			put(b, "\"");
		}
		put(b, "},\"responseElements\":");
		if (failed) {
			put(b, "null");
		} else {
			put(b, "{\"credentials\":{\"accessKeyId\":\"ASIA");
			put_rand(b, r, UPALNUM, 16);
			put(b, "\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE");
			put_rand(b, r, B64, 250 + (int)rng_below(r, 400));
			put(b, "\",\"expiration\":\"");
			{
				struct tm6 t;
				static const char *mon[] = { "Jan", "Feb",
				    "Mar", "Apr", "May", "Jun", "Jul", "Aug",
				    "Sep", "Oct", "Nov", "Dec" };
				civil(c->t + 3600, &t);
				put(b, mon[t.mo - 1]); put_c(b, ' ');
				put_u(b, (uint64_t)t.d); put(b, ", ");
				put_u(b, (uint64_t)t.y); put_c(b, ' ');
				put_u(b, (uint64_t)(t.h % 12 ? t.h % 12 : 12));
				put_c(b, ':'); put_dw(b, (unsigned)t.mi, 2);
				put_c(b, ':'); put_dw(b, (unsigned)t.s, 2);
				put(b, t.h < 12 ? " AM" : " PM");
			}
			put(b, "\"},\"assumedRoleUser\":{\"assumedRoleId\":\"AROA");
			put_rand(b, r, UPALNUM, 17);
			put(b, ":session\",\"arn\":\"arn:aws:sts::");
			put(b, w->account); put(b, ":assumed-role/"); put(b, rn);
			put(b, "/session\"}}");
		}
		put(res, ",\"resources\":[{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::");
		put(res, w->account); put(res, ":role/"); put(res, rn);
		put(res, "\"}]");
		break;
	}
	case S_ASSUME_SAML:
	case S_ASSUME_WEB:
		put(b, "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::");
		put(b, w->account); put(b, ":role/"); put(b, c->p->name);
		if (c->ev->shape == S_ASSUME_SAML) {
			put(b, "\",\"principalArn\":\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":saml-provider/Okta\",\"durationSeconds\":43200},");
		} else {
			put(b, "\",\"roleSessionName\":\"GitHubActions\"},");
		}
		put(b, "\"responseElements\":");
		if (failed)
			put(b, "null");
		else {
			put(b, "{\"credentials\":{\"accessKeyId\":\"ASIA");
			put_rand(b, r, UPALNUM, 16);
			put(b, "\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE");
			put_rand(b, r, B64, 400);
			put(b, "\",\"expiration\":\"Nov 1, 2026 12:00:00 PM\"},"
			    "\"subjectFromWebIdentityToken\":\"repo:example-org/app:ref:refs/heads/main\","
			    "\"audience\":\"sts.amazonaws.com\",\"provider\":\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":oidc-provider/token.actions.githubusercontent.com\"}");
		}
		break;
	case S_GET_CALLER:
		put(b, "\"requestParameters\":null,\"responseElements\":null");
		break;
	case S_DESCRIBE_INSTANCES:
		put(b, "\"requestParameters\":{\"instancesSet\":{");
		n = (int)rng_below(r, 4);
		if (n) {
			put(b, "\"items\":[");
			for (i = 0; i < n; i++) {
				put(b, i ? ",{\"instanceId\":\"" :
				    "{\"instanceId\":\"");
				put_iid(b, r);
				put(b, "\"}");
			}
			put(b, "]");
		}
		put(b, "},");
		put_filters(c);
		put(b, "},\"responseElements\":null");
		break;
	case S_DESCRIBE_FILTERS:
		put(b, "\"requestParameters\":{");
		if (rng_chance(r, 1, 2)) {
			put_filters(c);
			put(b, ",");
		}
		put(b, "\"maxResults\":");
		put_u(b, 5 + rng_below(r, 995));
		put(b, "},\"responseElements\":null");
		break;
	case S_RUN_INSTANCES:
		put(b, "\"requestParameters\":{\"instancesSet\":{\"items\":[{"
		    "\"imageId\":\"ami-0");
		put_hex(b, r, 16);
		put(b, "\",\"minCount\":1,\"maxCount\":1}]},\"instanceType\":\"m5.large\","
		    "\"blockDeviceMapping\":{\"items\":[{\"deviceName\":\"/dev/xvda\","
		    "\"ebs\":{\"volumeSize\":50,\"deleteOnTermination\":true,"
		    "\"volumeType\":\"gp3\",\"encrypted\":true}}]},"
		    "\"tenancy\":\"default\",\"monitoring\":{\"enabled\":false},"
		    "\"disableApiTermination\":false,\"disableApiStop\":false,"
		    "\"clientToken\":\"");
		put_uuid(b, r);
		put(b, "\",\"networkInterfaceSet\":{\"items\":[{\"deviceIndex\":0,"
		    "\"subnetId\":\"subnet-0");
		put_hex(b, r, 16);
		put(b, "\",\"associatePublicIpAddress\":false,\"groupSet\":{\"items\":"
		    "[{\"groupId\":\"sg-0");
		put_hex(b, r, 16);
		put(b, "\"}]}}]},\"iamInstanceProfile\":{\"arn\":\"arn:aws:iam::");
		put(b, w->account);
		put(b, ":instance-profile/eks-node\"},\"tagSpecificationSet\":{\"items\":"
		    "[{\"resourceType\":\"instance\",\"tags\":[{\"key\":\"Name\",\"value\":"
		    "\"worker-Zürich-1\"},{\"key\":\"karpenter.sh/nodepool\",\"value\":"
		    "\"default\"},{\"key\":\"team\",\"value\":\"platform\"}]}]},"
		    "\"metadataOptions\":{\"httpTokens\":\"required\",\"httpPutResponseHopLimit\":2}},"
		    "\"responseElements\":");
		if (failed) {
			put(b, "null");
			break;
		}
		put(b, "{\"requestId\":\"");
		put_uuid(b, r);
		put(b, "\",\"reservationId\":\"r-0");
		put_hex(b, r, 16);
		put(b, "\",\"ownerId\":\""); put(b, w->account);
		put(b, "\",\"groupSet\":{},\"instancesSet\":{\"items\":[{\"instanceId\":\"");
		put_iid(b, r);
		put(b, "\",\"imageId\":\"ami-0");
		put_hex(b, r, 16);
		put(b, "\",\"currentInstanceBootMode\":\"legacy-bios\",\"instanceState\":"
		    "{\"code\":0,\"name\":\"pending\"},\"privateDnsName\":\"ip-10-0-");
		put_u(b, rng_below(r, 256)); put_c(b, '-');
		put_u(b, rng_below(r, 256));
		put(b, ".ec2.internal\",\"amiLaunchIndex\":0,\"productCodes\":{},"
		    "\"instanceType\":\"m5.large\",\"launchTime\":");
		put_u(b, (uint64_t)c->t * 1000);
		put(b, ",\"placement\":{\"availabilityZone\":\"");
		put(b, c->region);
		put(b, "a\",\"tenancy\":\"default\"},\"monitoring\":{\"state\":\"disabled\"},"
		    "\"subnetId\":\"subnet-0");
		put_hex(b, r, 16);
		put(b, "\",\"vpcId\":\"vpc-0");
		put_hex(b, r, 16);
		put(b, "\",\"privateIpAddress\":\"10.0.");
		put_u(b, rng_below(r, 256)); put_c(b, '.');
		put_u(b, rng_below(r, 256));
		put(b, "\",\"stateReason\":{\"code\":\"pending\",\"message\":\"pending\"},"
		    "\"architecture\":\"x86_64\",\"rootDeviceType\":\"ebs\",\"rootDeviceName\":"
		    "\"/dev/xvda\",\"blockDeviceMapping\":{},\"virtualizationType\":\"hvm\","
		    "\"clientToken\":\"");
		put_uuid(b, r);
		put(b, "\",\"tagSet\":{\"items\":[{\"key\":\"Name\",\"value\":\"worker-Zürich-1\"},"
		    "{\"key\":\"team\",\"value\":\"platform\"}]},\"groupSet\":{\"items\":"
		    "[{\"groupId\":\"sg-0");
		put_hex(b, r, 16);
		put(b, "\",\"groupName\":\"eks-nodes\"}]},\"sourceDestCheck\":true,"
		    "\"hypervisor\":\"xen\",\"networkInterfaceSet\":{\"items\":[{"
		    "\"networkInterfaceId\":\"eni-0");
		put_hex(b, r, 16);
		put(b, "\",\"subnetId\":\"subnet-0");
		put_hex(b, r, 16);
		put(b, "\",\"ownerId\":\""); put(b, w->account);
		put(b, "\",\"status\":\"in-use\",\"macAddress\":\"0e:");
		for (i = 0; i < 5; i++) {
			put_hex(b, r, 2);
			if (i < 4) put_c(b, ':');
		}
		put(b, "\",\"privateIpAddress\":\"10.0.1.17\",\"sourceDestCheck\":true,"
		    "\"interfaceType\":\"interface\",\"groupSet\":{\"items\":[{\"groupId\":\"sg-0");
		put_hex(b, r, 16);
		put(b, "\",\"groupName\":\"eks-nodes\"}]},\"attachment\":{\"attachmentId\":"
		    "\"eni-attach-0");
		put_hex(b, r, 16);
		put(b, "\",\"deviceIndex\":0,\"networkCardIndex\":0,\"status\":\"attaching\","
		    "\"attachTime\":");
		put_u(b, (uint64_t)c->t * 1000);
		put(b, ",\"deleteOnTermination\":true},\"privateIpAddressesSet\":{\"item\":"
		    "[{\"privateIpAddress\":\"10.0.1.17\",\"primary\":true}]},"
		    "\"ipv6AddressesSet\":{},\"tagSet\":{}}]},\"ebsOptimized\":false,"
		    "\"enaSupport\":true,\"cpuOptions\":{\"coreCount\":1,\"threadsPerCore\":2},"
		    "\"capacityReservationSpecification\":{\"capacityReservationPreference\":\"open\"},"
		    "\"enclaveOptions\":{\"enabled\":false},\"metadataOptions\":{\"state\":\"pending\","
		    "\"httpTokens\":\"required\",\"httpPutResponseHopLimit\":2,\"httpEndpoint\":"
		    "\"enabled\",\"httpProtocolIpv4\":\"enabled\",\"httpProtocolIpv6\":\"disabled\","
		    "\"instanceMetadataTags\":\"disabled\"},\"maintenanceOptions\":{\"autoRecovery\":"
		    "\"default\"},\"privateDnsNameOptions\":{\"hostnameType\":\"ip-name\","
		    "\"enableResourceNameDnsARecord\":false,\"enableResourceNameDnsAAAARecord\":false}}]},"
		    "\"requesterId\":\"\"}");
		break;
	case S_INSTANCE_STATE:
		put(b, "\"requestParameters\":{\"instancesSet\":{\"items\":[{\"instanceId\":\"");
		put_iid(b, r);
		put(b, "\"}]}");
		if (c->ev->name[1] == 't' && c->ev->name[2] == 'o')
			put(b, ",\"force\":false");
		put(b, "},\"responseElements\":");
		if (failed) {
			put(b, "null");
			break;
		}
		put(b, "{\"requestId\":\"");
		put_uuid(b, r);
		put(b, "\",\"instancesSet\":{\"items\":[{\"instanceId\":\"");
		put_iid(b, r);
		put(b, "\",\"currentState\":{\"code\":32,\"name\":\"shutting-down\"},"
		    "\"previousState\":{\"code\":16,\"name\":\"running\"}}]}}");
		break;
	case S_CREATE_TAGS:
		put(b, "\"requestParameters\":{\"resourcesSet\":{\"items\":[{\"resourceId\":\"");
		put_iid(b, r);
		put(b, "\"}]},\"tagSet\":{\"items\":[{\"key\":\"Name\",\"value\":\"");
		put(b, rng_chance(r, 1, 3) ? "Überwachung – Produktion ✓" :
		    rng_chance(r, 1, 2) ? "日本語のタグ" : "web-frontend");
		put(b, "\"},{\"key\":\"Owner\",\"value\":\"ops@example.com\"}]}},"
		    "\"responseElements\":{\"requestId\":\"");
		put_uuid(b, r);
		put(b, "\",\"_return\":true}");
		break;
	case S_SG_INGRESS:
		put(b, "\"requestParameters\":{\"groupId\":\"sg-0");
		put_hex(b, r, 16);
		put(b, "\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,"
		    "\"toPort\":22,\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\","
		    "\"description\":\"temporary \\\"debug\\\" access\\tby ops\"}]},"
		    "\"ipv6Ranges\":{},\"prefixListIds\":{}}]}},\"responseElements\":");
		if (failed)
			put(b, "null");
		else {
			put(b, "{\"requestId\":\"");
			put_uuid(b, r);
			put(b, "\",\"_return\":true,\"securityGroupRuleSet\":{\"items\":[{"
			    "\"groupOwnerId\":\"");
			put(b, w->account);
			put(b, "\",\"groupId\":\"sg-0");
			put_hex(b, r, 16);
			put(b, "\",\"securityGroupRuleId\":\"sgr-0");
			put_hex(b, r, 16);
			put(b, "\",\"isEgress\":false,\"ipProtocol\":\"tcp\",\"fromPort\":22,"
			    "\"toPort\":22,\"cidrIpv4\":\"0.0.0.0/0\"}]}}");
		}
		break;
	case S_S3_LIST:
		put(b, "\"requestParameters\":{\"Host\":\"s3.amazonaws.com\"},"
		    "\"responseElements\":null");
		put_s3_extra(c, "AuthHeader");
		break;
	case S_S3_BUCKET:
	case S_S3_PUT_POLICY: {
		struct ct_buf bn;
		ct_buf_init(&bn, 0);
		put_bucket(&bn, r, w);
		put_c(&bn, '\0');
		put(b, "\"requestParameters\":{\"bucketName\":\"");
		put(b, bn.data);
		put(b, "\",\"Host\":\"");
		put(b, bn.data);
		put(b, ".s3.");
		put(b, c->region);
		put(b, ".amazonaws.com\",\"");
		put(b, c->ev->name + 3);
		put(b, "\":\"\"");
		if (c->ev->shape == S_S3_PUT_POLICY) {
			put(b, ",\"bucketPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":"
			    "[{\"Sid\":\"AWSCloudTrailAclCheck\",\"Effect\":\"Allow\","
			    "\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},"
			    "\"Action\":\"s3:GetBucketAcl\",\"Resource\":\"arn:aws:s3:::");
			put(b, bn.data);
			put(b, "\"},{\"Sid\":\"AWSCloudTrailWrite\",\"Effect\":\"Allow\","
			    "\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},"
			    "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::");
			put(b, bn.data);
			put(b, "/AWSLogs/");
			put(b, w->account);
			put(b, "/*\",\"Condition\":{\"StringEquals\":{\"s3:x-amz-acl\":"
			    "\"bucket-owner-full-control\"}}}]}");
		}
		put(b, "},\"responseElements\":null");
		put_s3_extra(c, "AuthHeader");
		put(res, ",\"resources\":[{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
		put(res, bn.data);
		put(res, "\"}]");
		ct_buf_free(&bn);
		break;
	}
	case S_S3_OBJECT: {
		static const char *keys[] = {
			"AWSLogs/123456789012/CloudTrail/us-east-1/2026/10/20/file.json.gz",
			"exports/2026-10/orders.parquet", "index.html",
			"reports/Q3/Résumé final (v2).pdf", "models/bert/pytorch_model.bin",
			"tmp/upload-7f3a.part", "images/logo@2x.png",
		};
		struct ct_buf bn;
		ct_buf_init(&bn, 0);
		const char *k = PICK(r, keys);
		put_bucket(&bn, r, w);
		put_c(&bn, '\0');
		put(b, "\"requestParameters\":{\"bucketName\":\"");
		put(b, bn.data);
		put(b, "\",\"Host\":\"");
		put(b, bn.data);
		put(b, ".s3.");
		put(b, c->region);
		put(b, ".amazonaws.com\",\"key\":");
		put_js(b, k);
		put(b, "},\"responseElements\":");
		if (c->ev->ro || failed)
			put(b, "null");
		else {
			put(b, "{\"x-amz-server-side-encryption\":\"AES256\","
			    "\"x-amz-version-id\":\"");
			put_rand(b, r, ALNUM, 32);
			put(b, "\"}");
		}
		put_s3_extra(c, rng_chance(r, 1, 5) ? "QueryString" :
		    "AuthHeader");
		put(res, ",\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":");
		{
			struct ct_buf arn;
			ct_buf_init(&arn, 0);
			put(&arn, "arn:aws:s3:::");
			put(&arn, bn.data);
			put_c(&arn, '/');
			put(&arn, k);
			put_c(&arn, '\0');
			put_js(res, arn.data);
			ct_buf_free(&arn);
		}
		put(res, "},{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
		put(res, bn.data);
		put(res, "\"}]");
		ct_buf_free(&bn);
		break;
	}
	case S_IAM_ROLE: {
		const char *rn = ROLES[rng_below(r, sizeof(ROLES) / sizeof(ROLES[0]))][1];
		put(b, "\"requestParameters\":{\"roleName\":\"");
		put(b, rn);
		put(b, "\"");
		if (c->ev->name[0] == 'C') {
			put(b, ",\"assumeRolePolicyDocument\":\"{\\\"Version\\\":\\\"2012-10-17\\\","
			    "\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":"
			    "{\\\"Federated\\\":\\\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":oidc-provider/token.actions.githubusercontent.com\\\"},"
			    "\\\"Action\\\":\\\"sts:AssumeRoleWithWebIdentity\\\",\\\"Condition\\\":"
			    "{\\\"StringLike\\\":{\\\"token.actions.githubusercontent.com:sub\\\":"
			    "\\\"repo:example-org/*\\\"}}}]}\",\"maxSessionDuration\":3600");
		}
		put(b, "},\"responseElements\":");
		if (c->ev->name[0] == 'C' && !failed) {
			put(b, "{\"role\":{\"path\":\"/\",\"roleName\":\"");
			put(b, rn);
			put(b, "\",\"roleId\":\"AROA");
			put_rand(b, r, UPALNUM, 17);
			put(b, "\",\"arn\":\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":role/");
			put(b, rn);
			put(b, "\",\"createDate\":\"");
			put_iso(b, c->t);
			put(b, "\",\"maxSessionDuration\":3600}}");
		} else
			put(b, "null");
		break;
	}
	case S_IAM_PUT_POLICY:
		put(b, "\"requestParameters\":{\"roleName\":\"");
		put(b, ROLES[rng_below(r, sizeof(ROLES) / sizeof(ROLES[0]))][1]);
		put(b, "\",\"policyName\":\"s3-access\",\"policyDocument\":");
		put_policy_doc(c);
		put(b, "},\"responseElements\":null");
		break;
	case S_IAM_LIST:
		put(b, "\"requestParameters\":");
		if (rng_chance(r, 1, 2)) {
			put(b, "{\"maxItems\":100");
			if (rng_chance(r, 1, 2)) {
				put(b, ",\"marker\":\"");
				put_rand(b, r, B64, 120);
				put(b, "\"");
			}
			put(b, "}");
		} else
			put(b, "null");
		put(b, ",\"responseElements\":null");
		break;
	case S_IAM_ACCESS_KEY:
		put(b, "\"requestParameters\":{\"userName\":\"");
		put(b, PICK(r, USERS));
		put(b, "\"},\"responseElements\":");
		if (failed)
			put(b, "null");
		else {
			put(b, "{\"accessKey\":{\"userName\":\"ci-runner\",\"accessKeyId\":\"AKIA");
			put_rand(b, r, UPALNUM, 16);
			put(b, "\",\"status\":\"Active\",\"createDate\":\"");
			put_iso(b, c->t);
			put(b, "\"}}");
		}
		break;
	case S_CONSOLE_LOGIN:
		put(b, "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"");
		put(b, failed ? "Failure" : "Success");
		put(b, "\"},\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/"
		    "console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_");
		put(b, c->region);
		put(b, "_");
		put_hex(b, r, 16);
		put(b, "\",\"MobileVersion\":\"No\",\"MFAIdentifier\":\"arn:aws:iam::");
		put(b, w->account);
		put(b, ":mfa/phone\",\"MFAUsed\":\"Yes\"}");
		break;
	case S_KMS:
		put(b, "\"requestParameters\":{");
		if (c->ev->name[0] != 'D') {
			put(b, "\"keyId\":\"alias/");
			put(b, rng_chance(r, 1, 2) ? "aws/s3" : "app-data");
			put(b, "\",");
			if (c->ev->name[0] == 'G')
				put(b, "\"keySpec\":\"AES_256\",");
		}
		put(b, "\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::");
		put_bucket(b, r, w);
		put(b, "/exports/2026-10/part-");
		put_dw(b, rng_below(r, 100000), 5);
		put(b, ".parquet\"},\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"},"
		    "\"responseElements\":null");
		put(res, ",\"resources\":[{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:");
		put(res, c->region);
		put_c(res, ':');
		put(res, w->account);
		put(res, ":key/");
		put_uuid(res, r);
		put(res, "\"}]");
		break;
	case S_LAMBDA:
		put(b, "\"requestParameters\":");
		if (c->ev->name[0] == 'L')
			put(b, "null");
		else {
			put(b, "{\"functionName\":\"orders-processor\"");
			if (c->ev->name[0] == 'U')
				put(b, ",\"s3Bucket\":\"deploy-artifacts\",\"s3Key\":\"orders/build-1842.zip\","
				    "\"publish\":true,\"dryRun\":false");
			put(b, "}");
		}
		put(b, ",\"responseElements\":");
		if (c->ev->name[0] == 'U' && !failed) {
			put(b, "{\"functionName\":\"orders-processor\",\"functionArn\":\"arn:aws:lambda:");
			put(b, c->region); put_c(b, ':'); put(b, w->account);
			put(b, ":function:orders-processor\",\"runtime\":\"python3.12\",\"role\":"
			    "\"arn:aws:iam::");
			put(b, w->account);
			put(b, ":role/lambda-orders-processor\",\"handler\":\"app.handler\","
			    "\"codeSize\":");
			put_u(b, 10000 + rng_below(r, 9000000));
			put(b, ",\"description\":\"Bestellungen verarbeiten – orders\",\"timeout\":30,"
			    "\"memorySize\":512,\"lastModified\":\"");
			put_iso(b, c->t);
			put(b, "\",\"codeSha256\":\"");
			put_rand(b, r, B64, 43);
			put(b, "=\",\"version\":\"");
			put_u(b, 1 + rng_below(r, 300));
			put(b, "\",\"environment\":{},\"tracingConfig\":{\"mode\":\"PassThrough\"},"
			    "\"revisionId\":\"");
			put_uuid(b, r);
			put(b, "\",\"state\":\"Active\",\"lastUpdateStatus\":\"InProgress\","
			    "\"packageType\":\"Zip\",\"architectures\":[\"arm64\"],"
			    "\"ephemeralStorage\":{\"size\":512},\"snapStart\":{\"applyOn\":\"None\","
			    "\"optimizationStatus\":\"Off\"},\"runtimeVersionConfig\":{\"runtimeVersionArn\":"
			    "\"arn:aws:lambda:");
			put(b, c->region);
			put(b, "::runtime:");
			put_hex(b, r, 64);
			put(b, "\"},\"loggingConfig\":{\"logFormat\":\"Text\",\"logGroup\":"
			    "\"/aws/lambda/orders-processor\"}}");
		} else
			put(b, "null");
		break;
	case S_LAMBDA_INVOKE:
		put(b, "\"requestParameters\":{\"functionName\":\"arn:aws:lambda:");
		put(b, c->region); put_c(b, ':'); put(b, w->account);
		put(b, ":function:orders-processor\",\"invocationType\":\"Event\","
		    "\"sourceArn\":\"arn:aws:sqs:");
		put(b, c->region); put_c(b, ':'); put(b, w->account);
		put(b, ":orders-queue\"},\"responseElements\":null,"
		    "\"additionalEventData\":{\"functionVersion\":\"arn:aws:lambda:");
		put(b, c->region); put_c(b, ':'); put(b, w->account);
		put(b, ":function:orders-processor:$LATEST\"}");
		break;
	case S_TRAIL:
		put(b, "\"requestParameters\":{");
		if (c->ev->name[0] == 'G') {
			put(b, "\"name\":\"arn:aws:cloudtrail:us-east-1:");
			put(b, w->account);
			put(b, ":trail/management-events\"");
		} else
			put(b, "\"trailNameList\":[],\"includeShadowTrails\":true");
		put(b, "},\"responseElements\":null");
		break;
	case S_LOOKUP:
		put(b, "\"requestParameters\":{\"startTime\":\"");
		{
			struct tm6 t;
			civil(c->t - 86400, &t);
			put_iso(b, c->t - 86400);
		}
		put(b, "\",\"endTime\":\"");
		put_iso(b, c->t);
		put(b, "\",\"maxResults\":50");
		if (rng_chance(r, 2, 3)) {
			put(b, ",\"nextToken\":\"");
			put_rand(b, r, B64, 180);
			put(b, "\"");
		}
		put(b, "},\"responseElements\":null");
		break;
	case S_LOGS:
		put(b, "\"requestParameters\":{\"logGroupName\":\"/aws/lambda/orders-processor\"");
		if (c->ev->name[0] == 'C') {
			put(b, ",\"logStreamName\":\"2026/10/31/[$LATEST]");
			put_hex(b, r, 32);
			put(b, "\"");
		}
		put(b, "},\"responseElements\":null");
		break;
	case S_DDB:
		put(b, "\"requestParameters\":");
		if (c->ev->name[0] == 'D')
			put(b, "{\"tableName\":\"orders\"}");
		else
			put(b, "{\"limit\":100}");
		put(b, ",\"responseElements\":null");
		put(res, ",\"resources\":[{\"accountId\":\"");
		put(res, w->account);
		put(res, "\",\"type\":\"AWS::DynamoDB::Table\",\"ARN\":\"arn:aws:dynamodb:");
		put(res, c->region); put_c(res, ':'); put(res, w->account);
		put(res, ":table/orders\"}]");
		break;
	case S_ECR_TOKEN:
		put(b, "\"requestParameters\":{\"registryIds\":[\"");
		put(b, w->account);
		put(b, "\"]},\"responseElements\":null");
		break;
	case S_CONFIG_EVAL:
		put(b, "\"requestParameters\":{\"evaluations\":[");
		n = 1 + (int)rng_below(r, 4);
		for (i = 0; i < n; i++) {
			if (i)
				put_c(b, ',');
			put(b, "{\"complianceResourceType\":\"AWS::EC2::SecurityGroup\","
			    "\"complianceResourceId\":\"sg-0");
			put_hex(b, r, 16);
			put(b, "\",\"complianceType\":\"");
			put(b, rng_chance(r, 1, 3) ? "NON_COMPLIANT" : "COMPLIANT");
			put(b, "\",\"annotation\":\"Ingress 0.0.0.0/0 on port 22\","
			    "\"orderingTimestamp\":\"");
			put_iso(b, c->t - 300);
			put(b, "\"}");
		}
		put(b, "],\"resultToken\":\"");
		put_rand(b, r, B64, 200 + (int)rng_below(r, 300));
		put(b, "\",\"testMode\":false},\"responseElements\":{\"failedEvaluations\":[]}");
		break;
	case S_SSM_PARAM:
		put(b, "\"requestParameters\":{\"name\":\"/prod/orders/");
		put(b, rng_chance(r, 1, 2) ? "db-password" : "feature-flags");
		put(b, "\",\"withDecryption\":true},\"responseElements\":null");
		break;
	case S_SSO:
		put(b, "\"requestParameters\":{\"accountId\":\"");
		put(b, w->account);
		put(b, "\",\"roleName\":\"AdministratorAccess\"},\"responseElements\":null");
		break;
	case S_COGNITO:
		put(b, "\"requestParameters\":{\"identityId\":\"");
		put(b, c->region); put_c(b, ':'); put_uuid(b, r);
		put(b, "\",\"logins\":{\"cognito-idp.");
		put(b, c->region);
		put(b, ".amazonaws.com/");
		put(b, c->region);
		put(b, "_AbCdEf123\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"}},"
		    "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIA");
		put_rand(b, r, UPALNUM, 16);
		put(b, "\",\"expiration\":\"Nov 1, 2026 1:00:00 PM\",\"sessionToken\":"
		    "\"HIDDEN_DUE_TO_SECURITY_REASONS\"},\"identityId\":\"");
		put(b, c->region); put_c(b, ':'); put_uuid(b, r);
		put(b, "\"}");
		break;
	case S_WORKDOCS:
		put(b, "\"requestParameters\":{\"FolderId\":\"");
		put_hex(b, r, 64);
		put(b, "\",\"Limit\":100},\"responseElements\":null");
		break;
	case S_GENERIC:
	case S_NONE:
		put(b, "\"requestParameters\":null,\"responseElements\":null");
		break;
	}
}

