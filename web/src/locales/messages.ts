/** A namespace's messages in another language: the reference (French) namespace's keys, each a string. */
export type Messages<Reference> = { readonly [Key in keyof Reference]: string };
