/** The Helidon SE server on port 4566: routing, platform endpoints, dispatch to providers. */
package dev.polystack.gateway;
