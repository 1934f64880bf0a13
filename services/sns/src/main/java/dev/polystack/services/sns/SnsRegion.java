package dev.polystack.services.sns;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** SNS state of one account in one region. Structural changes synchronize on this object. */
public final class SnsRegion {
    /** Topic ARN → topic. */
    public ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    /** Subscription ARN → subscription (subscriptions live in their topic's region). */
    public ConcurrentHashMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** Confirmation token → subscription ARN. */
    public ConcurrentHashMap<String, String> tokens = new ConcurrentHashMap<>();
    /** SMS attributes (SetSMSAttributes). */
    public ConcurrentHashMap<String, String> smsAttributes = new ConcurrentHashMap<>();
    /** Platform application ARN → application. */
    public ConcurrentHashMap<String, SnsPlatform.Application> applications = new ConcurrentHashMap<>();
    /** Platform endpoint ARN → endpoint. */
    public ConcurrentHashMap<String, SnsPlatform.Endpoint> endpoints = new ConcurrentHashMap<>();
    /** Phone numbers opted out of SMS. */
    public ConcurrentHashMap<String, Boolean> optedOut = new ConcurrentHashMap<>();
}
