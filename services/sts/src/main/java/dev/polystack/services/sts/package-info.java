/** Native STS: temporary credentials registered with {@link dev.polystack.api.AccessKeys}. */
package dev.polystack.services.sts;
