/**
 * The provider contract: what the gateway hands a service provider and what it expects back.
 *
 * <p>A request reaches a provider as an operation name plus a <em>parameter tree</em> shaped like
 * botocore's parsed parameters (see {@link ServiceProvider}); the provider answers with an output tree
 * of the same kind, or throws {@link ServiceException}. Providers are discovered through
 * {@link java.util.ServiceLoader} on {@link ProviderFactory} and created lazily on first use.
 */
package dev.polystack.api;
