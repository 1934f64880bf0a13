/** Hosts Python service providers (LocalStack-style and moto) in process under GraalPy. */
package dev.polystack.bridge;
