/**
 * The one place where Zod is extended with `.openapi()`; every spec module imports `z` from here.
 * @module
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
