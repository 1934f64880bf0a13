"""S3 static website hosting on the website endpoints, as LocalStack serves them
(<bucket>.s3-website.<region>.localhost.localstack.cloud and <bucket>.s3-website-<region>...): index and error
documents, redirects, routing rules and AWS's HTML error pages (recorded)."""
from urllib.parse import urlparse

import pytest
import requests

from helpers import unique


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture
def site(s3):
    name = unique("site")
    s3.create_bucket(Bucket=name)
    yield name
    for v in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=v["Key"])
    s3.delete_bucket(Bucket=name)


def _get(endpoint_url, bucket, path, method="GET", dash=False):
    port = urlparse(endpoint_url).port
    host = f"{bucket}.s3-website-us-east-1.localhost.localstack.cloud" if dash else \
        f"{bucket}.s3-website.us-east-1.localhost.localstack.cloud"
    return requests.request(method, f"{endpoint_url}{path}", headers={"Host": f"{host}:{port}"}, allow_redirects=False)


def _page(status, reason, items):
    return f"<html>\n<head><title>{status} {reason}</title></head>\n<body>\n<h1>{status} {reason}</h1>\n<ul>\n" + \
        "".join(f"<li>{i}</li>\n" for i in items)


def test_index_error_documents_and_html_pages(s3, site, endpoint_url):
    response = _get(endpoint_url, site, "/")
    assert response.status_code == 404
    assert response.text.startswith(_page(404, "Not Found", [
        "Code: NoSuchWebsiteConfiguration", "Message: The specified bucket does not have a website configuration",
        f"BucketName: {site}"]))
    assert response.headers["Content-Type"].startswith("text/html")
    s3.put_bucket_website(Bucket=site, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"},
                                                             "ErrorDocument": {"Key": "error.html"}})
    response = _get(endpoint_url, site, "/")
    assert response.status_code == 404
    assert "<li>Key: index.html</li>" in response.text
    assert "<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n<li>Code: NoSuchKey</li>" \
           "\n<li>Message: The specified key does not exist.</li>\n<li>Key: error.html</li>\n</ul>\n<hr/>" in response.text
    s3.put_object(Bucket=site, Key="index.html", Body=b"<p>home</p>", ContentType="text/html")
    s3.put_object(Bucket=site, Key="error.html", Body=b"<p>oops</p>", ContentType="text/html")
    s3.put_object(Bucket=site, Key="docs/index.html", Body=b"<p>docs</p>", ContentType="text/html")
    for dash in (False, True):
        response = _get(endpoint_url, site, "/", dash=dash)
        assert (response.status_code, response.text, response.headers["Content-Type"]) == (200, "<p>home</p>", "text/html")
    assert _get(endpoint_url, site, "/docs/").text == "<p>docs</p>"
    response = _get(endpoint_url, site, "/docs")
    assert (response.status_code, response.headers["Location"]) == (302, "/docs/")
    response = _get(endpoint_url, site, "/missing")
    assert (response.status_code, response.text) == (404, "<p>oops</p>")
    head = _get(endpoint_url, site, "/", method="HEAD")
    assert head.status_code == 200 and head.headers["ETag"]
    for method in ("POST", "DELETE", "PUT"):
        response = _get(endpoint_url, site, "/index.html", method=method)
        assert response.status_code == 405
        assert response.text.startswith(_page(405, "Method Not Allowed", [
            "Code: MethodNotAllowed", "Message: The specified method is not allowed against this resource.",
            f"Method: {method}", "ResourceType: OBJECT"]))
    response = _get(endpoint_url, unique("nobucket"), "/")
    assert response.status_code == 404 and "<li>Code: NoSuchBucket</li>" in response.text


def test_redirects_and_routing_rules(s3, site, endpoint_url):
    s3.put_bucket_website(Bucket=site, WebsiteConfiguration={
        "IndexDocument": {"Suffix": "index.html"},
        "RoutingRules": [
            {"Condition": {"KeyPrefixEquals": "old/"}, "Redirect": {"ReplaceKeyPrefixWith": "new/"}},
            {"Condition": {"HttpErrorCodeReturnedEquals": "404"},
             "Redirect": {"HostName": "example.com", "Protocol": "https", "HttpRedirectCode": "307", "ReplaceKeyWith": "404.html"}}]})
    s3.put_object(Bucket=site, Key="moved", Body=b"x", WebsiteRedirectLocation="/elsewhere")
    s3.put_object(Bucket=site, Key="here", Body=b"here")
    response = _get(endpoint_url, site, "/old/page.html")
    assert response.status_code == 301 and response.headers["Location"].endswith("/new/page.html")
    response = _get(endpoint_url, site, "/nothing")
    assert (response.status_code, response.headers["Location"]) == (307, "https://example.com/404.html")
    response = _get(endpoint_url, site, "/moved")
    assert (response.status_code, response.headers["Location"]) == (301, "/elsewhere")
    assert _get(endpoint_url, site, "/here").text == "here"
    s3.put_bucket_website(Bucket=site, WebsiteConfiguration={"RedirectAllRequestsTo": {"HostName": "example.org", "Protocol": "https"}})
    response = _get(endpoint_url, site, "/a/b")
    assert (response.status_code, response.headers["Location"]) == (301, "https://example.org/a/b")
