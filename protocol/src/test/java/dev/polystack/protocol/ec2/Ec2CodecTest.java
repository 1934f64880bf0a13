package dev.polystack.protocol.ec2;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.xml.TestSpecs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.polystack.protocol.xml.TestSpecs.context;
import static dev.polystack.protocol.xml.TestSpecs.form;
import static org.junit.jupiter.api.Assertions.*;

class Ec2CodecTest {
    static final Ec2Codec EC2 = new Ec2Codec(TestSpecs.model("ec2"));

    static String body(HttpResponseData r) {
        return new String(r.bodyBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void parsesCapitalizedLocationNamesAndNumberedLists() {
        ParsedRequest p = EC2.parse(form("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2"
                + "&Filter.1.Name=tag%3AName&Filter.1.Value.1=web&Filter.1.Value.2=db&DryRun=true&MaxResults=5"));
        assertEquals("DescribeInstances", p.operation());
        assertEquals(List.of("i-1", "i-2"), p.params().get("InstanceIds"));
        assertEquals(List.of(Map.of("Name", "tag:Name", "Values", List.of("web", "db"))), p.params().get("Filters"));
        assertEquals(true, p.params().get("DryRun"));
        assertEquals(5, p.params().get("MaxResults"));
        ParsedRequest tags = EC2.parse(form("Action=CreateTags&ResourceId.1=vpc-1&Tag.1.Key=k&Tag.1.Value=v"));
        assertEquals(List.of(Map.of("Key", "k", "Value", "v")), tags.params().get("Tags"));
    }

    @Test
    void missingParametersAsEc2ReportsThem() {
        ServiceException e = assertThrows(ServiceException.class, () -> EC2.parse(form("Action=CreateTags&ResourceId.1=vpc-1")));
        assertEquals("MissingParameter", e.code());
        assertEquals("The request must contain the parameter Tag", e.getMessage());
    }

    @Test
    void serializesWithRequestIdAndItemLists() {
        Map<String, Object> vpc = Map.of("VpcId", "vpc-1", "CidrBlock", "10.0.0.0/16", "IsDefault", false,
                "Tags", List.of(Map.of("Key", "Name", "Value", "main")));
        HttpResponseData r = EC2.serialize(context(form("Action=DescribeVpcs")), "DescribeVpcs", Map.of("Vpcs", List.of(vpc)));
        String b = body(r);
        assertTrue(b.startsWith("<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15\"><vpcSet><item>"), b);
        assertTrue(b.endsWith("</vpcSet><requestId>req-1</requestId></DescribeVpcsResponse>"), b);
        assertTrue(b.contains("<tagSet><item><key>Name</key><value>main</value></item></tagSet>"), b);
        assertTrue(b.contains("<isDefault>false</isDefault>"), b);
        HttpResponseData empty = EC2.serialize(context(form("Action=CreateTags")), "CreateTags", Map.of());
        assertEquals("<CreateTagsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15\"><requestId>req-1</requestId></CreateTagsResponse>", body(empty));
        assertEquals("text/xml;charset=UTF-8", empty.header("Content-Type"));
    }

    @Test
    void errorsUseTheResponseErrorsShape() {
        HttpResponseData r = EC2.serializeError(context(form("Action=DescribeVpcs")), "DescribeVpcs",
                new ServiceException("InvalidVpcID.NotFound", "The vpc ID 'vpc-x' does not exist"));
        assertEquals(400, r.status());
        assertEquals("<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID 'vpc-x' does not exist</Message>"
                + "</Error></Errors><RequestID>req-1</RequestID></Response>", body(r));
    }
}
