package dev.polystack.services.lambda;

import java.time.Instant;

/** Retries, maximum event age and destinations of asynchronous invocations (PutFunctionEventInvokeConfig). */
record EventInvokeConfig(Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds, String onSuccess,
                         String onFailure, Instant lastModified) {
}
