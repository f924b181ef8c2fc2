import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType({ description: 'An address to put on the suppression list by hand (reason MANUAL)' })
export class AddSuppressionInput {
  @Field({ description: 'The e-mail address; compared without regard to case' })
  @MaxLength(254, { message: 'E-mail must be at most 254 characters long' })
  email!: string;
}
