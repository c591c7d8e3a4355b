package objstore

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"

	"cloud.google.com/go/storage"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	azblobblob "github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/logging"
	"gocloud.dev/blob"
	"gocloud.dev/blob/azureblob"
	"gocloud.dev/blob/gcsblob"
	"gocloud.dev/blob/s3blob"
	"gocloud.dev/gcp"
	"google.golang.org/api/googleapi"
)

// S3EndpointFromEnv is the custom S3 endpoint the AWS tools use from the
// environment: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else none.
func S3EndpointFromEnv() string {
	if e := os.Getenv("AWS_ENDPOINT_URL_S3"); e != "" {
		return e
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}

// openS3 opens an S3 bucket with the AWS SDK's default chain: environment,
// shared config and credentials files with AWS_PROFILE, web identity, SSO,
// container and instance metadata. AWS_NO_SIGN_REQUEST=true reads public
// buckets without credentials. A custom endpoint uses path-style
// addressing, as S3-compatible servers expect.
func (c *Client) openS3(ctx context.Context, loc Location) (store, error) {
	var opts []func(*config.LoadOptions) error
	if c.cfg.S3Region != "" {
		opts = append(opts, config.WithRegion(c.cfg.S3Region))
	}
	if ok, _ := strconv.ParseBool(os.Getenv("AWS_NO_SIGN_REQUEST")); ok {
		opts = append(opts, config.WithCredentialsProvider(aws.AnonymousCredentials{}))
	}
	// The SDK would log to stderr on its own (IMDS fallbacks, retries);
	// only driftgate's main prints.
	opts = append(opts, config.WithLogger(logging.Nop{}), config.WithClientLogMode(0))
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	endpoint := c.cfg.S3Endpoint
	if endpoint == "" {
		endpoint = S3EndpointFromEnv()
	}
	if cfg.Region == "" {
		// Signing needs a region; S3-compatible servers accept any, and
		// us-east-1 is AWS's global default.
		cfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			o.UsePathStyle = true
		}
		// Reads need no request checksums; S3-compatible servers differ in
		// what they accept.
		// Client.do retries, within the run's budget; the SDK's own
		// retries would multiply it.
		o.RetryMaxAttempts = 1
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	b, err := s3blob.OpenBucket(ctx, client, loc.Bucket, nil)
	if err != nil {
		return nil, err
	}
	name := loc.Bucket
	return &blobStore{
		b: b,
		statFn: func(ctx context.Context, key string) (Object, error) {
			h, err := client.HeadObject(ctx, &s3.HeadObjectInput{
				Bucket: aws.String(name), Key: aws.String(key), ChecksumMode: s3types.ChecksumModeEnabled,
			})
			if err != nil {
				return Object{}, err
			}
			o := Object{
				Key: key, Size: aws.ToInt64(h.ContentLength), ETag: unquote(aws.ToString(h.ETag)),
				VersionID: aws.ToString(h.VersionId), LastModified: aws.ToTime(h.LastModified),
			}
			for _, ck := range []struct {
				alg string
				v   *string
			}{{"crc64nvme", h.ChecksumCRC64NVME}, {"crc32c", h.ChecksumCRC32C}, {"crc32", h.ChecksumCRC32}, {"sha256", h.ChecksumSHA256}, {"sha1", h.ChecksumSHA1}} {
				if aws.ToString(ck.v) != "" {
					o.Checksum = &Checksum{Algorithm: ck.alg, Value: *ck.v}
					break
				}
			}
			return o, nil
		},
		pin: func(obj Object) func(func(any) bool) error {
			return func(as func(any) bool) error {
				var in *s3.GetObjectInput
				if as(&in) {
					if obj.VersionID != "" && obj.VersionID != "null" {
						in.VersionId = aws.String(obj.VersionID)
					}
					if obj.ETag != "" {
						in.IfMatch = aws.String(`"` + obj.ETag + `"`)
					}
				}
				return nil
			}
		},
		status: func(err error) int {
			var re interface{ HTTPStatusCode() int }
			if errors.As(err, &re) {
				return re.HTTPStatusCode()
			}
			return 0
		},
	}, nil
}

// openGCS opens a GCS bucket with Google application default credentials
// (GOOGLE_APPLICATION_CREDENTIALS, gcloud's, workload identity, the
// metadata server); without any it reads public buckets anonymously.
// STORAGE_EMULATOR_HOST points it at an emulator.
func (c *Client) openGCS(ctx context.Context, loc Location) (store, error) {
	client := gcp.NewAnonymousHTTPClient(gcp.DefaultTransport())
	if os.Getenv("STORAGE_EMULATOR_HOST") == "" {
		if creds, err := gcp.DefaultCredentials(ctx); err == nil {
			if client, err = gcp.NewHTTPClient(gcp.DefaultTransport(), creds.TokenSource); err != nil {
				return nil, fmt.Errorf("google cloud client: %w", err)
			}
		}
	}
	b, err := gcsblob.OpenBucket(ctx, client, loc.Bucket, nil)
	if err != nil {
		return nil, err
	}
	var sc *storage.Client
	if b.As(&sc) {
		// Client.do retries, within the run's budget.
		sc.SetRetry(storage.WithPolicy(storage.RetryNever))
	}
	s := &blobStore{b: b}
	s.statFn = func(ctx context.Context, key string) (Object, error) {
		o, a, err := attributes(ctx, b, key)
		if err != nil {
			return Object{}, err
		}
		var attrs storage.ObjectAttrs
		if a.As(&attrs) {
			o.VersionID = strconv.FormatInt(attrs.Generation, 10)
			var crc [4]byte
			binary.BigEndian.PutUint32(crc[:], attrs.CRC32C)
			o.Checksum = &Checksum{Algorithm: "crc32c", Value: base64.StdEncoding.EncodeToString(crc[:])}
		}
		return o, nil
	}
	s.pin = func(obj Object) func(func(any) bool) error {
		return func(as func(any) bool) error {
			gen, err := strconv.ParseInt(obj.VersionID, 10, 64)
			if err != nil || gen <= 0 {
				return nil
			}
			var oh **storage.ObjectHandle
			if as(&oh) {
				*oh = (*oh).If(storage.Conditions{GenerationMatch: gen})
			}
			// Not every server honours the condition: check the
			// generation the response names too.
			var r *storage.Reader
			if as(&r) && r.Attrs.Generation != 0 && r.Attrs.Generation != gen {
				return fmt.Errorf("%w (generation %d, was %d)", ErrChanged, r.Attrs.Generation, gen)
			}
			return nil
		}
	}
	s.status = func(err error) int {
		var ge *googleapi.Error
		if errors.As(err, &ge) {
			return ge.Code
		}
		if errors.Is(err, storage.ErrObjectNotExist) || errors.Is(err, storage.ErrBucketNotExist) {
			return http.StatusNotFound
		}
		return 0
	}
	return s, nil
}

// openAzure opens an Azure Blob Storage container. The account comes from
// the location (abfss://container@account...) or AZURE_STORAGE_ACCOUNT;
// credentials from AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN or
// AZURE_STORAGE_CONNECTION_STRING, else the Azure default chain
// (environment service principal, workload identity, managed identity,
// Azure CLI). AZURE_STORAGE_DOMAIN, AZURE_STORAGE_PROTOCOL and
// AZURE_STORAGE_IS_LOCAL_EMULATOR point it at Azurite.
func (c *Client) openAzure(ctx context.Context, loc Location) (store, error) {
	opts := azureblob.NewDefaultServiceURLOptions()
	if loc.Account != "" {
		opts.AccountName = loc.Account
	}
	cs := os.Getenv("AZURE_STORAGE_CONNECTION_STRING")
	if opts.AccountName == "" && cs == "" {
		return nil, errors.New("no Azure storage account: name it in the location (abfss://container@account.dfs.core.windows.net/path) or set AZURE_STORAGE_ACCOUNT")
	}
	var cc *container.Client
	var err error
	// Client.do retries, within the run's budget.
	copts := &container.ClientOptions{ClientOptions: policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}}
	key := os.Getenv("AZURE_STORAGE_KEY")
	switch {
	case cs != "" && loc.Account == "":
		cc, err = container.NewClientFromConnectionString(cs, loc.Bucket, copts)
	default:
		svc, serr := azureblob.NewServiceURL(opts)
		if serr != nil {
			return nil, fmt.Errorf("azure service URL: %w", serr)
		}
		// The service URL may carry a SAS token in its query.
		curl, cerr := containerURL(string(svc), loc.Bucket)
		if cerr != nil {
			return nil, cerr
		}
		switch {
		case key != "":
			var cred *azblob.SharedKeyCredential
			cred, err = azblob.NewSharedKeyCredential(opts.AccountName, key)
			if err == nil {
				cc, err = container.NewClientWithSharedKeyCredential(curl, cred, copts)
			}
		case opts.SASToken != "":
			cc, err = container.NewClientWithNoCredential(curl, copts)
		default:
			cred, cerr := azidentity.NewDefaultAzureCredential(nil)
			if cerr != nil {
				return nil, fmt.Errorf("azure credentials: %w", cerr)
			}
			cc, err = container.NewClient(curl, cred, copts)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("azure container client: %w", err)
	}
	b, err := azureblob.OpenBucket(ctx, cc, nil)
	if err != nil {
		return nil, err
	}
	s := &blobStore{b: b}
	s.statFn = func(ctx context.Context, key string) (Object, error) {
		o, a, err := attributes(ctx, b, key)
		if err != nil {
			return Object{}, err
		}
		var p azblobblob.GetPropertiesResponse
		if a.As(&p) {
			if p.VersionID != nil {
				o.VersionID = *p.VersionID
			}
			if len(p.ContentMD5) > 0 {
				o.Checksum = &Checksum{Algorithm: "md5", Value: base64.StdEncoding.EncodeToString(p.ContentMD5)}
			}
		}
		return o, nil
	}
	s.pin = func(obj Object) func(func(any) bool) error {
		return func(as func(any) bool) error {
			var do *azblobblob.DownloadStreamOptions
			if obj.ETag != "" && as(&do) {
				etag := azcore.ETag(`"` + obj.ETag + `"`)
				do.AccessConditions = &azblobblob.AccessConditions{
					ModifiedAccessConditions: &azblobblob.ModifiedAccessConditions{IfMatch: &etag},
				}
			}
			return nil
		}
	}
	s.status = func(err error) int {
		var re *azcore.ResponseError
		if errors.As(err, &re) {
			return re.StatusCode
		}
		return 0
	}
	return s, nil
}

// containerURL puts the container name into a service URL, which may
// carry a SAS token in its query.
func containerURL(svc, container string) (string, error) {
	u, err := url.Parse(svc)
	if err != nil {
		return "", fmt.Errorf("azure service URL: %w", err)
	}
	return u.JoinPath(container).String(), nil
}

// attributes reads the identity every store has; the provider's own
// attributes (a.As) add the rest.
func attributes(ctx context.Context, b *blob.Bucket, key string) (Object, *blob.Attributes, error) {
	a, err := b.Attributes(ctx, key)
	if err != nil {
		return Object{}, nil, err
	}
	return Object{Key: key, Size: a.Size, ETag: unquote(a.ETag), LastModified: a.ModTime}, a, nil
}
