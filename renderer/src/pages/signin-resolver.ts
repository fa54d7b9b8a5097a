import { zodResolver } from '@hookform/resolvers/zod';
import { signInInput } from '../../../shared/api/contract';

/** The sign-in form's checks: the contract's own schema, in a chunk of its own (see SignInPage). */
export const signInResolver = zodResolver(signInInput);
