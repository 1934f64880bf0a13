/** Native Java service providers, one package per service (sqs, s3, sns, kms, sts). */
package dev.polystack.services;
