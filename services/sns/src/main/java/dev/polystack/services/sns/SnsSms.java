package dev.polystack.services.sns;

import dev.polystack.api.RequestContext;
import dev.polystack.services.sns.api.CheckIfPhoneNumberIsOptedOutInput;
import dev.polystack.services.sns.api.CheckIfPhoneNumberIsOptedOutResponse;
import dev.polystack.services.sns.api.GetSMSAttributesInput;
import dev.polystack.services.sns.api.GetSMSAttributesResponse;
import dev.polystack.services.sns.api.ListPhoneNumbersOptedOutResponse;
import dev.polystack.services.sns.api.OptInPhoneNumberInput;
import dev.polystack.services.sns.api.SetSMSAttributesInput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.polystack.services.sns.SnsErrors.invalid;

/** SMS: the account's SMS settings and the phone numbers opted out. Messages themselves go through {@link SnsPublisher}. */
final class SnsSms {
    private static final Set<String> ATTRIBUTES = Set.of("DefaultSenderID", "DefaultSMSType", "MonthlySpendLimit",
            "DeliveryStatusIAMRole", "DeliveryStatusSuccessSamplingRate", "UsageReportS3Bucket");

    private final SnsResources resources;

    SnsSms(SnsResources resources) {
        this.resources = resources;
    }

    /** SetSMSAttributes' names, and AWS's answers (no "Invalid parameter:" prefix here, as recorded). */
    void setSmsAttributes(RequestContext ctx, SetSMSAttributesInput in) {
        Map<String, String> attributes = in.attributes() == null ? Map.of() : in.attributes();
        for (String name : attributes.keySet()) {
            if (!ATTRIBUTES.contains(name)) throw invalid(name + " is not a valid attribute");
        }
        String type = attributes.get("DefaultSMSType");
        if (type != null && !type.equals("Promotional") && !type.equals("Transactional")) throw invalid("DefaultSMSType is invalid");
        attributes.forEach((k, v) -> resources.region(ctx).smsAttributes.put(k, v == null ? "" : v));
    }

    GetSMSAttributesResponse getSmsAttributes(RequestContext ctx, GetSMSAttributesInput in) {
        // an account's spend limit is 1 USD until raised (AWS reports it even where nothing was set)
        Map<String, String> all = new TreeMap<>(Map.of("MonthlySpendLimit", "1"));
        all.putAll(resources.region(ctx).smsAttributes);
        Map<String, String> out = new LinkedHashMap<>();
        if (in.attributes() == null || in.attributes().isEmpty()) {
            out.putAll(all);
        } else {
            for (String wanted : in.attributes()) {
                String v = all.get(wanted);
                if (v != null) out.put(wanted, v);
            }
        }
        return GetSMSAttributesResponse.builder().attributes(out).build();
    }

    CheckIfPhoneNumberIsOptedOutResponse checkIfPhoneNumberIsOptedOut(RequestContext ctx, CheckIfPhoneNumberIsOptedOutInput in) {
        boolean optedOut = in.phoneNumber() != null && resources.region(ctx).optedOut.containsKey(in.phoneNumber());
        return CheckIfPhoneNumberIsOptedOutResponse.builder().isOptedOut(optedOut).build();
    }

    ListPhoneNumbersOptedOutResponse listPhoneNumbersOptedOut(RequestContext ctx) {
        return ListPhoneNumbersOptedOutResponse.builder()
                .phoneNumbers(new ArrayList<>(resources.region(ctx).optedOut.keySet())).build();
    }

    void optInPhoneNumber(RequestContext ctx, OptInPhoneNumberInput in) {
        String phone = in.phoneNumber() == null ? "" : in.phoneNumber();
        if (!SnsSubscriptions.PHONE.matcher(phone).matches()) throw invalid("Invalid parameter: PhoneNumber Reason: input incorrectly formatted");
        resources.region(ctx).optedOut.remove(phone);
    }
}
